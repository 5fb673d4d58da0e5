namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>uuid (2950): canonical lower-case text, 16 big-endian bytes in binary.</summary>
public static class UuidCodec
{
    public static bool TryWriteText(Guid value, Span<byte> dest, out int written) => value.TryFormat(dest, out written, "D");

    public static bool TryWriteBinary(Guid value, Span<byte> dest, out int written)
    {
        written = 16;
        return value.TryWriteBytes(dest, bigEndian: true, out _);
    }

    public static Guid ParseText(string text) =>
        Guid.TryParse(text, out var g) ? g : throw CodecErrors.TextSyntax("uuid", text);

    public static Guid ReadBinary(ReadOnlySpan<byte> data) =>
        data.Length == 16 ? new Guid(data, bigEndian: true) : throw CodecErrors.BinaryLength("uuid", data.Length);
}
