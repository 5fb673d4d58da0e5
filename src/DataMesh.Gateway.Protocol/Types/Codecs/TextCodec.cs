using System.Text;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>text, varchar, bpchar, name and json: UTF-8 bytes in both formats. jsonb binary adds a version byte.</summary>
public static class TextCodec
{
    public const byte JsonbVersion = 1;

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static bool TryWriteUtf8(ReadOnlySpan<byte> utf8, Span<byte> dest, out int written)
    {
        written = utf8.Length;
        return utf8.TryCopyTo(dest);
    }

    public static bool TryWriteString(string value, Span<byte> dest, out int written) =>
        Encoding.UTF8.TryGetBytes(value, dest, out written);

    public static string Read(ReadOnlySpan<byte> data)
    {
        try
        {
            return StrictUtf8.GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw new PgErrorException(SqlState.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"");
        }
    }

    public static string ReadJsonbBinary(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || data[0] != JsonbVersion)
            throw new PgErrorException(SqlState.InvalidBinaryRepresentation, "unsupported jsonb version number");
        return Read(data[1..]);
    }
}
