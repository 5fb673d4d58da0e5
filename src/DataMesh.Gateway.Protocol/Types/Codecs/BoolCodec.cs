using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>bool (16): text is <c>t</c>/<c>f</c>, binary is one byte.</summary>
public static class BoolCodec
{
    public static bool TryWriteText(bool value, Span<byte> dest, out int written) => TryWriteByte(value ? (byte)'t' : (byte)'f', dest, out written);

    public static bool TryWriteBinary(bool value, Span<byte> dest, out int written) => TryWriteByte(value ? (byte)1 : (byte)0, dest, out written);

    public static bool ParseText(string text) => Input.BoolInput.Parse(text);

    public static bool ReadBinary(ReadOnlySpan<byte> data) => data.Length == 1
        ? data[0] != 0
        : throw CodecErrors.BinaryLength("boolean", data.Length);

    private static bool TryWriteByte(byte b, Span<byte> dest, out int written)
    {
        written = 0;
        if (dest.IsEmpty) return false;
        dest[0] = b;
        written = 1;
        return true;
    }
}
