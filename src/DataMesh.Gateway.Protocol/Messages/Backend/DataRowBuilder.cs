using System.Buffers.Binary;

namespace DataMesh.Gateway.Protocol.Messages.Backend;

/// <summary>
/// Encodes one DataRow straight into a span of the output buffer, with no per-row allocation.
/// Field encoders write into <see cref="Free"/> and call <see cref="Commit"/>; when the span runs out the
/// builder records an overflow and the caller retries the row with a larger span.
/// </summary>
public ref struct DataRowBuilder
{
    private readonly Span<byte> _span;
    private int _position;
    private bool _overflow;

    public DataRowBuilder(Span<byte> span, short fieldCount)
    {
        _span = span;
        if (span.Length < 7)
        {
            _overflow = true;
            return;
        }
        span[0] = (byte)'D';
        BinaryPrimitives.WriteInt16BigEndian(span[5..], fieldCount);
        _position = 7;
    }

    public readonly bool Overflowed => _overflow;

    /// <summary>Space for the next field's value, after its 4-byte length word.</summary>
    public readonly Span<byte> Free => _overflow || _position + 4 > _span.Length ? Span<byte>.Empty : _span[(_position + 4)..];

    /// <summary>Records a field of <paramref name="length"/> bytes just written into <see cref="Free"/>.</summary>
    public void Commit(int length)
    {
        if (_overflow) return;
        BinaryPrimitives.WriteInt32BigEndian(_span[_position..], length);
        _position += 4 + length;
    }

    /// <summary>Marks that an encoder could not fit its value into <see cref="Free"/>.</summary>
    public void MarkOverflow() => _overflow = true;

    public void WriteNull()
    {
        if (_overflow) return;
        if (_position + 4 > _span.Length)
        {
            _overflow = true;
            return;
        }
        BinaryPrimitives.WriteInt32BigEndian(_span[_position..], -1);
        _position += 4;
    }

    /// <summary>Writes the message length; returns the total bytes used, or -1 when the row did not fit.</summary>
    public readonly int Finish()
    {
        if (_overflow) return -1;
        BinaryPrimitives.WriteInt32BigEndian(_span[1..], _position - 1);
        return _position;
    }
}
