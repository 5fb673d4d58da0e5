using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace DataMesh.Gateway.Benchmarks.Stream;

/// <summary>
/// A minimal PostgreSQL v3 client: startup, SCRAM-SHA-256 (no channel binding), then one query whose DataRows are
/// counted and thrown away. It does no per-value work, so its rate is what the server can send.
/// </summary>
public sealed class RawPgClient : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    private RawPgClient(Socket socket) => _socket = socket;

    public long BytesReceived { get; private set; }

    private static readonly bool Debug = Environment.GetEnvironmentVariable("RAWPG_DEBUG") == "1";

    /// <summary>Bytes per socket receive; small values and a delay make a slow reader.</summary>
    public int MaxReceive { get; set; } = int.MaxValue;

    public int DelayPerReceiveMs { get; set; }

    public DateTime? Deadline { get; set; }

    public static RawPgClient Connect(IPEndPoint endPoint, string user, string password, string database, int? receiveBuffer = null)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 120_000 };
        if (receiveBuffer is { } size) socket.ReceiveBufferSize = size;
        socket.Connect(endPoint);
        var client = new RawPgClient(socket);
        try
        {
            client.Startup(user, password, database);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return client;
    }

    private void Startup(string user, string password, string database)
    {
        var body = new MemoryStream();
        WriteInt32(body, 196608);
        foreach (var s in new[] { "user", user, "database", database, "application_name", "rawbench" }) WriteCString(body, s);
        body.WriteByte(0);
        SendUntyped(body.ToArray());

        var (type, payload) = ReadMessage();
        Expect(type, 'R', payload);
        var code = BinaryPrimitives.ReadInt32BigEndian(payload);
        if (code == 10) Scram(user, password, payload[4..].ToArray());
        else if (code != 0) throw new InvalidOperationException($"unsupported authentication request {code}");

        while (true)
        {
            (type, payload) = ReadMessage();
            if (type == 'Z') return;
            if (type == 'E') throw ServerError(payload);
        }
    }

    private void Scram(string user, string password, byte[] mechanisms)
    {
        if (!Encoding.UTF8.GetString(mechanisms).Split('\0').Contains("SCRAM-SHA-256"))
            throw new InvalidOperationException("server does not offer SCRAM-SHA-256");
        var clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var clientFirstBare = $"n=,r={clientNonce}";
        var clientFirst = Encoding.UTF8.GetBytes("n,," + clientFirstBare);
        var initial = new MemoryStream();
        WriteCString(initial, "SCRAM-SHA-256");
        WriteInt32(initial, clientFirst.Length);
        initial.Write(clientFirst);
        Send('p', initial.ToArray());

        var (type, payload) = ReadMessage();
        Expect(type, 'R', payload);
        if (BinaryPrimitives.ReadInt32BigEndian(payload) != 11) throw new InvalidOperationException("expected SASLContinue");
        var serverFirst = Encoding.UTF8.GetString(payload[4..]);
        var attrs = serverFirst.Split(',').ToDictionary(a => a[..1], a => a[2..]);
        var nonce = attrs["r"];
        if (!nonce.StartsWith(clientNonce, StringComparison.Ordinal)) throw new InvalidOperationException("server nonce does not extend ours");
        var salt = Convert.FromBase64String(attrs["s"]);
        var iterations = int.Parse(attrs["i"], System.Globalization.CultureInfo.InvariantCulture);

        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var clientFinalWithoutProof = $"c=biws,r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{clientFinalWithoutProof}");
        var clientSignature = HMACSHA256.HashData(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++) proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        Send('p', Encoding.UTF8.GetBytes($"{clientFinalWithoutProof},p={Convert.ToBase64String(proof)}"));

        (type, payload) = ReadMessage();
        Expect(type, 'R', payload);
        if (BinaryPrimitives.ReadInt32BigEndian(payload) != 12) throw new InvalidOperationException("expected SASLFinal");
        var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
        var expected = "v=" + Convert.ToBase64String(HMACSHA256.HashData(serverKey, authMessage));
        if (Encoding.UTF8.GetString(payload[4..]) != expected) throw new InvalidOperationException("server signature mismatch");

        (type, payload) = ReadMessage();
        Expect(type, 'R', payload);
        if (BinaryPrimitives.ReadInt32BigEndian(payload) != 0) throw new InvalidOperationException("expected AuthenticationOk");
    }

    /// <summary>Simple query protocol (text results).</summary>
    public void SendSimpleQuery(string sql)
    {
        var body = new MemoryStream();
        WriteCString(body, sql);
        Send('Q', body.ToArray());
    }

    /// <summary>Extended protocol, unnamed statement and portal, all result columns binary: Parse, Bind, Execute, Sync.</summary>
    public void SendBinaryQuery(string sql)
    {
        var all = new MemoryStream();
        var parse = new MemoryStream();
        WriteCString(parse, "");
        WriteCString(parse, sql);
        WriteInt16(parse, 0);
        Frame(all, 'P', parse.ToArray());
        var bind = new MemoryStream();
        WriteCString(bind, "");
        WriteCString(bind, "");
        WriteInt16(bind, 0);
        WriteInt16(bind, 0);
        WriteInt16(bind, 1);
        WriteInt16(bind, 1);
        Frame(all, 'B', bind.ToArray());
        var execute = new MemoryStream();
        WriteCString(execute, "");
        WriteInt32(execute, 0);
        Frame(all, 'E', execute.ToArray());
        Frame(all, 'S', []);
        _socket.Send(all.ToArray());
    }

    /// <summary>
    /// Discards messages until ReadyForQuery, counting DataRows. Returns false when <see cref="Deadline"/> passed first.
    /// </summary>
    public bool DrainUntilReady(out long dataRows, Action? onReceive = null)
    {
        dataRows = 0;
        while (true)
        {
            if (_end - _start < 5)
            {
                if (!Fill(5, onReceive)) return false;
                continue;
            }
            var type = _buffer[_start];
            var total = 1 + BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + 1));
            if (_end - _start < total)
            {
                if (!Fill(total, onReceive)) return false;
                continue;
            }
            if (Debug && type != (byte)'D') Console.Error.WriteLine($"raw: '{(char)type}' {total} bytes");
            switch (type)
            {
                case (byte)'D':
                    dataRows++;
                    break;
                case (byte)'E':
                    throw ServerError(_buffer.AsSpan(_start + 5, total - 5));
                case (byte)'Z':
                    _start += total;
                    return true;
            }
            _start += total;
        }
    }

    private bool Fill(int needed, Action? onReceive)
    {
        if (_buffer.Length < needed) Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        if (_buffer.Length - _start < needed)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < needed)
        {
            if (Deadline is { } deadline && DateTime.UtcNow >= deadline) return false;
            var n = _socket.Receive(_buffer, _end, Math.Min(_buffer.Length - _end, MaxReceive), SocketFlags.None);
            if (n == 0) throw new IOException("server closed the connection");
            _end += n;
            BytesReceived += n;
            onReceive?.Invoke();
            if (DelayPerReceiveMs > 0) Thread.Sleep(DelayPerReceiveMs);
        }
        return true;
    }

    private (char Type, byte[] Payload) ReadMessage()
    {
        Fill(5, null);
        var total = 1 + BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + 1));
        Fill(total, null);
        var type = (char)_buffer[_start];
        var payload = _buffer.AsSpan(_start + 5, total - 5).ToArray();
        _start += total;
        return (type, payload);
    }

    private static void Expect(char actual, char expected, byte[] payload)
    {
        if (actual == 'E') throw ServerError(payload);
        if (actual != expected) throw new InvalidOperationException($"expected message '{expected}', got '{actual}'");
    }

    private static InvalidOperationException ServerError(ReadOnlySpan<byte> payload)
    {
        var fields = Encoding.UTF8.GetString(payload).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var message = fields.FirstOrDefault(f => f.StartsWith('M'))?[1..] ?? "unknown error";
        var code = fields.FirstOrDefault(f => f.StartsWith('C'))?[1..] ?? "?????";
        return new InvalidOperationException($"server error {code}: {message}");
    }

    private void Send(char type, byte[] payload)
    {
        var all = new MemoryStream();
        Frame(all, type, payload);
        _socket.Send(all.ToArray());
    }

    private void SendUntyped(byte[] body)
    {
        var all = new MemoryStream();
        WriteInt32(all, body.Length + 4);
        all.Write(body);
        _socket.Send(all.ToArray());
    }

    private static void Frame(MemoryStream target, char type, byte[] payload)
    {
        target.WriteByte((byte)type);
        WriteInt32(target, payload.Length + 4);
        target.Write(payload);
    }

    private static void WriteInt32(MemoryStream s, int v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, v);
        s.Write(b);
    }

    private static void WriteInt16(MemoryStream s, short v)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteInt16BigEndian(b, v);
        s.Write(b);
    }

    private static void WriteCString(MemoryStream s, string v)
    {
        s.Write(Encoding.UTF8.GetBytes(v));
        s.WriteByte(0);
    }

    /// <summary>Closes abruptly (RST), as a client that gives up mid-result.</summary>
    public void Abort()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();
}
