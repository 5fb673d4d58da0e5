using System.Buffers;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Framing;

namespace DataMesh.Gateway.Protocol.Messages.Frontend;

public enum StartupPacketKind
{
    Startup,
    SslRequest,
    GssEncRequest,
    CancelRequest,
}

/// <summary>The first packet of a connection: a StartupMessage, SSLRequest, GSSENCRequest or CancelRequest.</summary>
public sealed class StartupPacket
{
    public const int SslRequestCode = 80877103;
    public const int GssEncRequestCode = 80877104;
    public const int CancelRequestCode = 80877102;
    public const int ProtocolVersion3 = 196608; // 3 << 16

    public StartupPacketKind Kind { get; private init; }
    public int MajorVersion { get; private init; }
    public int MinorVersion { get; private init; }
    public IReadOnlyDictionary<string, string> Parameters { get; private init; } = new Dictionary<string, string>();

    /// <summary>Options of the form <c>_pq_.*</c>, which the server must report as unrecognised.</summary>
    public IReadOnlyList<string> ProtocolOptions { get; private init; } = [];
    public int CancelProcessId { get; private init; }
    public int CancelSecretKey { get; private init; }

    /// <summary>Parses the packet body after its 4-byte length word. Every error is FATAL: there is no session yet
    /// (a parameter that is not UTF-8 would otherwise be a plain ERROR that nothing in the startup phase answers).</summary>
    public static StartupPacket Parse(ReadOnlySequence<byte> body)
    {
        try
        {
            return ParseBody(body);
        }
        catch (PgErrorException e) when (!e.IsFatal)
        {
            throw e.AsFatal();
        }
    }

    private static StartupPacket ParseBody(ReadOnlySequence<byte> body)
    {
        var reader = new PayloadReader(body);
        var code = reader.ReadInt32();
        switch (code)
        {
            case SslRequestCode:
                reader.EnsureEnd();
                return new StartupPacket { Kind = StartupPacketKind.SslRequest };
            case GssEncRequestCode:
                reader.EnsureEnd();
                return new StartupPacket { Kind = StartupPacketKind.GssEncRequest };
            case CancelRequestCode:
                var pid = reader.ReadInt32();
                var key = reader.ReadInt32();
                return new StartupPacket { Kind = StartupPacketKind.CancelRequest, CancelProcessId = pid, CancelSecretKey = key };
        }

        var major = code >> 16;
        var minor = code & 0xFFFF;
        if (major != 3)
            throw PgErrorException.Fatal(SqlState.FeatureNotSupported,
                $"unsupported frontend protocol {major}.{minor}: server supports 3.0 to 3.0");

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new List<string>();
        while (reader.Remaining > 1)
        {
            var name = reader.ReadCString();
            var value = reader.ReadCString();
            if (name.StartsWith("_pq_.", StringComparison.Ordinal)) options.Add(name);
            else parameters[name] = value;
        }
        if (reader.Remaining != 1 || reader.ReadByte() != 0)
            throw PgErrorException.ProtocolViolation("invalid startup packet layout: expected terminator as last byte");

        return new StartupPacket
        {
            Kind = StartupPacketKind.Startup,
            MajorVersion = major,
            MinorVersion = minor,
            Parameters = parameters,
            ProtocolOptions = options,
        };
    }
}
