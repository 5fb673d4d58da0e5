using System.Buffers;

namespace DataMesh.Gateway.Benchmarks;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that hands out one reusable buffer and throws the written bytes away,
/// so encoders can be measured without the cost of a sink. Counts what was written.
/// </summary>
public sealed class DiscardingBufferWriter(int capacity = 1 << 20) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[capacity];
    private int _position;

    public long BytesWritten { get; private set; }

    public void Advance(int count)
    {
        _position += count;
        BytesWritten += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(Reserve(sizeHint));

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(Reserve(sizeHint));

    public void Reset()
    {
        _position = 0;
        BytesWritten = 0;
    }

    private int Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _position < sizeHint)
        {
            _position = 0; // discard what was written
            if (_buffer.Length < sizeHint) _buffer = new byte[Math.Max(sizeHint, _buffer.Length * 2)];
        }
        return _position;
    }
}
