using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// A real TCP server standing in front of s3rver to make faults s3rver cannot: it answers the first
/// <c>throttled</c> requests with S3's 503 SlowDown (and closes the connection), then pipes every later connection
/// to the real server untouched; or, with <c>hang</c>, accepts connections and never answers. Counts what it saw.
/// </summary>
public sealed class StoreStub : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _target;
    private volatile bool _hang;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TcpClient, byte> _open = new();
    private int _throttled;
    private int _toThrottle;

    private StoreStub(int target, int throttle, bool hang)
    {
        _target = target;
        _toThrottle = throttle;
        _hang = hang;
        _listener.Start();
        _ = AcceptAsync();
    }

    public static StoreStub Throttling(int targetPort, int requests) => new(targetPort, requests, hang: false);

    /// <summary>From now on, new connections hang; open ones are dropped (so pooled connections cannot bypass it).</summary>
    public void Hang()
    {
        _hang = true;
        foreach (var c in _open.Keys) c.Dispose();
    }

    /// <summary>Connections currently held open without an answer.</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    private int _hanging;

    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Requests answered with 503 SlowDown so far.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    public int Connections { get; private set; }

    /// <summary>From now on, throttle this many more requests. Open (piped) connections are dropped, so the client's
    /// pooled connections cannot go around the stub.</summary>
    public void ThrottleNext(int requests)
    {
        Volatile.Write(ref _toThrottle, requests);
        foreach (var c in _open.Keys) c.Dispose();
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
            Connections++;
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        _open[client] = 0;
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                if (_hang)
                {
                    Interlocked.Increment(ref _hanging);
                    try
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _hanging);
                    }
                    return;
                }
                if (Interlocked.Decrement(ref _toThrottle) >= 0)
                {
                    await ReadHeadAsync(stream);
                    Interlocked.Increment(ref _throttled);
                    const string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
                    var response = $"HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                    return;
                }
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                var other = upstream.GetStream();
                await Task.WhenAny(stream.CopyToAsync(other, _stop.Token), other.CopyToAsync(stream, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            finally
            {
                _open.TryRemove(client, out _);
            }
        }
    }

    /// <summary>Reads one request's head (the SDK's GETs and LISTs carry no body).</summary>
    private async Task ReadHeadAsync(NetworkStream stream)
    {
        var seen = new List<byte>();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, _stop.Token) == 1)
        {
            seen.Add(buffer[0]);
            if (seen.Count >= 4 && seen[^1] == '\n' && seen[^2] == '\r' && seen[^3] == '\n' && seen[^4] == '\r') return;
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
