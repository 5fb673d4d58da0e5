using System.Buffers;
using System.Buffers.Binary;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Protocol.Messages.Frontend;

namespace DataMesh.Gateway.Server.Startup;

/// <summary>
/// Reads startup-phase packets (no type byte) straight from the stream with exact-length reads: nothing is
/// buffered beyond the packet, so the stream can be handed to TLS right after an SSLRequest.
/// </summary>
public static class StartupReader
{
    /// <summary>Reads one packet, or returns null when the client closed the connection before sending one.</summary>
    public static async Task<StartupPacket?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        var read = await stream.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0) return null;
        if (read < 4) throw new EndOfStreamException();
        var length = MessageFramer.ValidateStartupLength(BinaryPrimitives.ReadInt32BigEndian(header));
        var body = new byte[length - 4];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return StartupPacket.Parse(new ReadOnlySequence<byte>(body));
    }
}
