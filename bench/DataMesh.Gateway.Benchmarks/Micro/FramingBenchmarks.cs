using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using BenchmarkDotNet.Attributes;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Protocol.Messages.Backend;

namespace DataMesh.Gateway.Benchmarks.Micro;

/// <summary>
/// Message framing alone. Frontend: cutting 1,000 extended-protocol round trips (Parse, Bind, Describe, Execute,
/// Sync: 5,000 messages) out of a buffer that arrives in 4 KiB segments, as the socket pipe delivers it. Backend:
/// the per-statement envelope the server writes around a result (ParseComplete, BindComplete, CommandComplete,
/// ReadyForQuery) 1,000 times into a discarding writer. One op = 1,000 round trips.
/// </summary>
[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private const int RoundTrips = 1000;
    private ReadOnlySequence<byte> _frontend;
    private readonly DiscardingBufferWriter _sink = new();

    [GlobalSetup]
    public void Setup()
    {
        var stream = new MemoryStream();
        for (var i = 0; i < RoundTrips; i++)
        {
            Message(stream, 'P', w => { CString(w, ""); CString(w, "SELECT l_orderkey FROM bench.lineitem WHERE l_orderkey = $1"); Int16(w, 1); Int32(w, 20); });
            Message(stream, 'B', w => { CString(w, ""); CString(w, ""); Int16(w, 1); Int16(w, 1); Int16(w, 1); Int32(w, 8); Int64(w, i); Int16(w, 1); Int16(w, 1); });
            Message(stream, 'D', w => { w.WriteByte((byte)'P'); CString(w, ""); });
            Message(stream, 'E', w => { CString(w, ""); Int32(w, 0); });
            Message(stream, 'S', _ => { });
        }
        _frontend = Segmented(stream.ToArray(), 4096);
    }

    [Benchmark]
    public int FrontendTryRead()
    {
        var buffer = _frontend;
        var n = 0;
        while (MessageFramer.TryRead(ref buffer, 1 << 20, out _, out var payload)) n += (int)payload.Length;
        return n;
    }

    [Benchmark]
    public long BackendEnvelope()
    {
        _sink.Reset();
        var writer = new BackendWriter(_sink);
        for (var i = 0; i < RoundTrips; i++)
        {
            writer.ParseComplete();
            writer.BindComplete();
            writer.CommandComplete("SELECT 1");
            writer.ReadyForQuery(TransactionStatus.Idle);
        }
        return _sink.BytesWritten;
    }

    private static void Message(System.IO.Stream s, char type, Action<System.IO.Stream> body)
    {
        var payload = new MemoryStream();
        body(payload);
        s.WriteByte((byte)type);
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, (int)payload.Length + 4);
        s.Write(len);
        payload.Position = 0;
        payload.CopyTo(s);
    }

    private static void CString(System.IO.Stream s, string v) { s.Write(Encoding.UTF8.GetBytes(v)); s.WriteByte(0); }
    private static void Int16(System.IO.Stream s, short v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteInt16BigEndian(b, v); s.Write(b); }
    private static void Int32(System.IO.Stream s, int v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); s.Write(b); }
    private static void Int64(System.IO.Stream s, long v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteInt64BigEndian(b, v); s.Write(b); }

    /// <summary>The bytes as a chain of fixed-size segments, so messages straddle segment boundaries.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var chunk = bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset));
            var segment = new Segment(chunk, offset);
            if (first is null) first = segment; else last!.Next = segment;
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public new Segment? Next { set => base.Next = value; }
    }
}
