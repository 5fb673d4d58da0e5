using System.Buffers;
using System.Buffers.Binary;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Framing;

/// <summary>
/// Cuts typed frontend messages out of a byte buffer. The length prefix is validated before anything is buffered:
/// a length under 4, over the configured maximum, or an unknown type byte is a FATAL protocol violation,
/// so the server never allocates or waits for the size a hostile client claims.
/// </summary>
public static class MessageFramer
{
    public const int StartupPacketMaxLength = 10_000;

    /// <summary>Tries to cut one message. Returns false when more bytes are needed.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxMessageLength, out byte type, out ReadOnlySequence<byte> payload)
    {
        type = 0;
        payload = default;
        if (buffer.Length < 5) return false;

        Span<byte> header = stackalloc byte[5];
        buffer.Slice(0, 5).CopyTo(header);
        type = header[0];
        var length = BinaryPrimitives.ReadInt32BigEndian(header[1..]);

        if (!FrontendMessageType.IsKnown(type))
            throw PgErrorException.ProtocolViolation($"invalid frontend message type {type}");
        if (length < 4)
            throw PgErrorException.ProtocolViolation($"invalid message length {length}");
        if (length > maxMessageLength)
            throw new PgErrorException(SqlState.ProgramLimitExceeded,
                $"message of {length} bytes exceeds the limit of {maxMessageLength} bytes", PgErrorSeverity.Fatal);

        if (buffer.Length < 1 + (long)length) return false;
        payload = buffer.Slice(5, length - 4);
        buffer = buffer.Slice(1 + length);
        return true;
    }

    /// <summary>Validates the length word of a startup-phase packet (which has no type byte).</summary>
    public static int ValidateStartupLength(int length)
    {
        if (length < 8 || length > StartupPacketMaxLength)
            throw PgErrorException.ProtocolViolation($"invalid length of startup packet: {length}");
        return length;
    }
}
