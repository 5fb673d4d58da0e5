using System.Net;
using System.Net.Sockets;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>
/// A TCP proxy in front of the gateway that keeps every byte of every connection, both ways: tests read what the
/// server sent (every wire message a client saw) and what clients sent (to show the capture works).
/// </summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _target;
    private readonly MemoryStream _fromServer = new(), _fromClient = new();
    private readonly object _gate = new();

    public RecordingProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public byte[] FromServer()
    {
        lock (_gate) return _fromServer.ToArray();
    }

    public byte[] FromClient()
    {
        lock (_gate) return _fromClient.ToArray();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                await Task.WhenAll(Copy(client.GetStream(), upstream.GetStream(), _fromClient), Copy(upstream.GetStream(), client.GetStream(), _fromServer));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task Copy(NetworkStream from, NetworkStream to, MemoryStream record)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                lock (_gate) record.Write(buffer, 0, n);
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        finally
        {
            to.Socket.Shutdown(SocketShutdown.Send);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
