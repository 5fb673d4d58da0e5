using System.Buffers.Binary;
using System.Globalization;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>float4 (700) and float8 (701). Text uses the shortest round-trip form, as PostgreSQL 12+ does,
/// with <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> spelled the PostgreSQL way.</summary>
public static class FloatCodecs
{
    public static bool TryWriteText(double value, Span<byte> dest, out int written)
    {
        if (double.IsNaN(value)) return Ascii("NaN", dest, out written);
        if (double.IsPositiveInfinity(value)) return Ascii("Infinity", dest, out written);
        if (double.IsNegativeInfinity(value)) return Ascii("-Infinity", dest, out written);
        if (!value.TryFormat(dest, out written, "R", CultureInfo.InvariantCulture)) return false;
        LowerExponent(dest[..written]);
        return true;
    }

    public static bool TryWriteText(float value, Span<byte> dest, out int written)
    {
        if (float.IsNaN(value)) return Ascii("NaN", dest, out written);
        if (float.IsPositiveInfinity(value)) return Ascii("Infinity", dest, out written);
        if (float.IsNegativeInfinity(value)) return Ascii("-Infinity", dest, out written);
        if (!value.TryFormat(dest, out written, "R", CultureInfo.InvariantCulture)) return false;
        LowerExponent(dest[..written]);
        return true;
    }

    /// <summary>
    /// The text form under extra_float_digits: above zero the shortest exact form (PostgreSQL 12+), otherwise rounded to
    /// 15 + n significant digits for float8 (6 + n for float4), as C's %g writes them.
    /// </summary>
    public static bool TryWriteText(double value, int extraFloatDigits, bool isFloat4, Span<byte> dest, out int written)
    {
        if (extraFloatDigits > 0 || double.IsNaN(value) || double.IsInfinity(value))
            return isFloat4 ? TryWriteText((float)value, dest, out written) : TryWriteText(value, dest, out written);
        return TextCodec.TryWriteString(CFormat.G(value, (isFloat4 ? 6 : 15) + extraFloatDigits), dest, out written);
    }

    public static bool TryWriteFloat4(float value, Span<byte> dest, out int written)
    {
        written = 4;
        return BinaryPrimitives.TryWriteSingleBigEndian(dest, value);
    }

    public static bool TryWriteFloat8(double value, Span<byte> dest, out int written)
    {
        written = 8;
        return BinaryPrimitives.TryWriteDoubleBigEndian(dest, value);
    }

    public static double ParseText(string text, string typeName)
    {
        var t = text.Trim();
        switch (t.ToLowerInvariant())
        {
            case "nan": return double.NaN;
            case "infinity" or "+infinity" or "inf" or "+inf": return double.PositiveInfinity;
            case "-infinity" or "-inf": return double.NegativeInfinity;
        }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw CodecErrors.TextSyntax(typeName, text);
        return value;
    }

    public static double ReadBinary(ReadOnlySpan<byte> data, string typeName) => data.Length switch
    {
        4 => BinaryPrimitives.ReadSingleBigEndian(data),
        8 => BinaryPrimitives.ReadDoubleBigEndian(data),
        _ => throw CodecErrors.BinaryLength(typeName, data.Length),
    };

    private static bool Ascii(string s, Span<byte> dest, out int written)
    {
        written = 0;
        if (dest.Length < s.Length) return false;
        for (var i = 0; i < s.Length; i++) dest[i] = (byte)s[i];
        written = s.Length;
        return true;
    }

    // .NET writes "1E+20"; PostgreSQL writes "1e+20".
    private static void LowerExponent(Span<byte> text)
    {
        var i = text.IndexOf((byte)'E');
        if (i >= 0) text[i] = (byte)'e';
    }
}
