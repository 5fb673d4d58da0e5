using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>Throw helpers kept out of the codecs' hot paths.</summary>
internal static class CodecErrors
{
    public static PgErrorException BinaryLength(string type, int length) =>
        new(SqlState.InvalidBinaryRepresentation, $"incorrect binary data format for type {type}: {length} bytes");

    public static PgErrorException TextSyntax(string type, string text) =>
        new(SqlState.InvalidTextRepresentation, $"invalid input syntax for type {type}: \"{Truncate(text)}\"");

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
