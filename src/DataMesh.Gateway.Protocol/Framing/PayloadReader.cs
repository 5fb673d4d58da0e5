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

    /// <summary>A 16-bit count (parameters, formats): PostgreSQL reads these unsigned, so up to 65,535.</summary>
    public int ReadCount16() => (ushort)ReadInt16();

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
            throw InvalidUtf8(bytes.ToArray());
        }
    }

    /// <summary>
    /// PostgreSQL's 22021, naming the bytes of the first bad sequence as it does: as many as the lead byte announces
    /// (<c>0xc3 0x28</c>), or the lone byte (<c>0xff</c>).
    /// </summary>
    public static PgErrorException InvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length && System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out var used) == System.Buffers.OperationStatus.Done) at += used;
        var bad = bytes[at..];
        var lead = bad.IsEmpty ? (byte)0 : bad[0];
        var length = (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : (lead & 0xf8) == 0xf0 ? 4 : 1;
        var shown = new StringBuilder();
        foreach (var b in bad[..Math.Min(length, bad.Length)]) shown.Append(shown.Length > 0 ? " " : "").Append("0x").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        return new PgErrorException(SqlState.CharacterNotInRepertoire, $"invalid byte sequence for encoding \"UTF8\": {shown}");
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static PgErrorException Truncated() => PgErrorException.ProtocolViolation("invalid message format: message is shorter than its fields");
}
