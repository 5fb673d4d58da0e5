using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Framing;

/// <summary>
/// Reads the fields of one frontend message payload. Every read is bounds-checked against the payload,
/// so a message whose fields claim more bytes than it carries is a protocol violation, never an overrun.
/// </summary>
public ref struct PayloadReader
{
    private SequenceReader<byte> _reader;

    public PayloadReader(ReadOnlySequence<byte> payload) => _reader = new SequenceReader<byte>(payload);

    public long Remaining => _reader.Remaining;

    public short ReadInt16()
    {
        if (!_reader.TryReadBigEndian(out short value)) throw Truncated();
        return value;
    }

    public int ReadInt32()
    {
        if (!_reader.TryReadBigEndian(out int value)) throw Truncated();
        return value;
    }

    public byte ReadByte()
    {
        if (!_reader.TryRead(out byte value)) throw Truncated();
        return value;
    }

    /// <summary>Reads a NUL-terminated UTF-8 string.</summary>
    public string ReadCString()
    {
        if (!_reader.TryReadTo(out ReadOnlySequence<byte> bytes, (byte)0, advancePastDelimiter: true))
            throw PgErrorException.ProtocolViolation("invalid string in message: missing terminator");
        return Decode(bytes);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes into a new array (used for parameter values that outlive the buffer).</summary>
    public byte[] ReadBytes(int count)
    {
        if (count < 0 || count > _reader.Remaining) throw Truncated();
        var result = new byte[count];
        _reader.TryCopyTo(result);
        _reader.Advance(count);
        return result;
    }

    public void EnsureEnd()
    {
        if (_reader.Remaining != 0)
            throw PgErrorException.ProtocolViolation("invalid message format: unexpected trailing bytes");
    }

    private static string Decode(ReadOnlySequence<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new PgErrorException(SqlState.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static PgErrorException Truncated() => PgErrorException.ProtocolViolation("invalid message format: message is shorter than its fields");
}
