using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>int2 (21), int4 (23), int8 (20): decimal text and big-endian binary.</summary>
public static class IntegerCodecs
{
    public static bool TryWriteText(long value, Span<byte> dest, out int written) => Utf8Formatter.TryFormat(value, dest, out written);

    public static bool TryWriteInt2(short value, Span<byte> dest, out int written)
    {
        written = 2;
        return BinaryPrimitives.TryWriteInt16BigEndian(dest, value);
    }

    public static bool TryWriteInt4(int value, Span<byte> dest, out int written)
    {
        written = 4;
        return BinaryPrimitives.TryWriteInt32BigEndian(dest, value);
    }

    public static bool TryWriteInt8(long value, Span<byte> dest, out int written)
    {
        written = 8;
        return BinaryPrimitives.TryWriteInt64BigEndian(dest, value);
    }

    public static long ParseText(string text, string typeName, long min, long max)
    {
        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw CodecErrors.TextSyntax(typeName, text);
        if (value < min || value > max)
            throw new Errors.PgErrorException(Errors.SqlState.NumericValueOutOfRange, $"value \"{text}\" is out of range for type {typeName}");
        return value;
    }

    public static long ReadBinary(ReadOnlySpan<byte> data, string typeName) => data.Length switch
    {
        2 => BinaryPrimitives.ReadInt16BigEndian(data),
        4 => BinaryPrimitives.ReadInt32BigEndian(data),
        8 => BinaryPrimitives.ReadInt64BigEndian(data),
        _ => throw CodecErrors.BinaryLength(typeName, data.Length),
    };
}
