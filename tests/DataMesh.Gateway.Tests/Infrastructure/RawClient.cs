using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>A minimal wire-level client for protocol tests: it sends exactly the bytes a test builds.</summary>
public sealed class RawClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public NetworkStream Stream => _stream;

    public static async Task<RawClient> ConnectAsync(GatewayFixture gateway)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(gateway.EndPoint);
        return new RawClient(tcp);
    }

    /// <summary>Wraps an already connected socket (for gateways other than the shared fixture).</summary>
    public static RawClient Wrap(TcpClient connected) => new(connected);

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public static byte[] StartupMessage(string user, string database, int version = 196608, params (string, string)[] extra)
    {
        var body = new List<byte>();
        body.AddRange(BigEndian(version));
        foreach (var (k, v) in new[] { ("user", user), ("database", database) }.Concat(extra))
        {
            body.AddRange(Encoding.UTF8.GetBytes(k)); body.Add(0);
            body.AddRange(Encoding.UTF8.GetBytes(v)); body.Add(0);
        }
        body.Add(0);
        return [.. BigEndian(body.Count + 4), .. body];
    }

    public static byte[] SslRequest() => [.. BigEndian(8), .. BigEndian(80877103)];

    public static byte[] Message(char type, byte[] payload) => [(byte)type, .. BigEndian(payload.Length + 4), .. payload];

    public static byte[] Query(string sql) => Message('Q', [.. Encoding.UTF8.GetBytes(sql), 0]);

    public static byte[] BigEndian(int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        return b;
    }

    /// <summary>Reads one backend message (type, payload), or null at end of stream.</summary>
    public async Task<(char Type, byte[] Payload)?> ReadMessageAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var header = new byte[5];
        var n = await _stream.ReadAtLeastAsync(header, 5, throwOnEndOfStream: false, cts.Token);
        if (n < 5) return null;
        var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
        var payload = new byte[length - 4];
        await _stream.ReadExactlyAsync(payload, cts.Token);
        return ((char)header[0], payload);
    }

    /// <summary>Reads messages until one of <paramref name="type"/> arrives; returns all read.</summary>
    public async Task<List<(char Type, byte[] Payload)>> ReadUntilAsync(char type, TimeSpan? timeout = null)
    {
        var list = new List<(char, byte[])>();
        while (true)
        {
            var m = await ReadMessageAsync(timeout) ?? throw new EndOfStreamException($"connection closed before '{type}'; got {string.Join(",", list.Select(x => x.Item1))}");
            list.Add(m);
            if (m.Type == type) return list;
        }
    }

    /// <summary>True when the server closed the connection (reads return end of stream) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await _stream.ReadAsync(buffer, cts.Token);
                if (n == 0) return true;
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The SQLSTATE field ('C') of an ErrorResponse payload.</summary>
    public static string? SqlState(byte[] errorPayload) => Field(errorPayload, 'C');

    public static string? Field(byte[] payload, char code)
    {
        var i = 0;
        while (i < payload.Length && payload[i] != 0)
        {
            var c = (char)payload[i++];
            var end = Array.IndexOf(payload, (byte)0, i);
            var value = Encoding.UTF8.GetString(payload, i, end - i);
            if (c == code) return value;
            i = end + 1;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
