using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>
/// numeric (1700) from a scaled integer (the engine's DECIMAL layout: unscaled value and scale).
/// Binary is PostgreSQL's base-10000 layout: ndigits, weight, sign, dscale, then the digit groups.
/// </summary>
public static class NumericCodec
{
    private const ushort SignPositive = 0x0000;
    private const ushort SignNegative = 0x4000;
    private const ushort SignNaN = 0xC000;

    public static bool TryWriteText(Int128 unscaled, int scale, Span<byte> dest, out int written)
    {
        Span<byte> digits = stackalloc byte[48];
        var negative = unscaled < 0;
        var magnitude = negative ? (UInt128)(-(unscaled + 1)) + 1 : (UInt128)unscaled;
        var n = magnitude <= ulong.MaxValue ? DecimalDigits((ulong)magnitude, digits) : DecimalDigits(magnitude, digits);
        while (n <= scale) digits[n++] = (byte)'0'; // at least one digit before the point

        written = (negative ? 1 : 0) + n + (scale > 0 ? 1 : 0);
        if (dest.Length < written) return false;
        var p = 0;
        if (negative) dest[p++] = (byte)'-';
        for (var i = n - 1; i >= 0; i--)
        {
            if (i == scale - 1) dest[p++] = (byte)'.';
            dest[p++] = digits[i];
        }
        return true;
    }

    public static bool TryWriteBinary(Int128 unscaled, int scale, Span<byte> dest, out int written)
    {
        var negative = unscaled < 0;
        var magnitude = negative ? (UInt128)(-(unscaled + 1)) + 1 : (UInt128)unscaled;

        // Align the fraction to whole base-10000 groups: scale 2 becomes 4 digits, i.e. multiply by 100.
        var fractionGroups = (scale + 3) / 4;
        var pad = fractionGroups * 4 - scale;
        for (var i = 0; i < pad; i++) magnitude *= 10;

        Span<short> groups = stackalloc short[16];
        var count = magnitude <= ulong.MaxValue ? Base10000Groups((ulong)magnitude, groups) : Base10000Groups(magnitude, groups);
        // groups[0] is the least significant. Weight of the most significant group:
        var weight = count - fractionGroups - 1;
        // Drop trailing zero groups (least significant); PostgreSQL does not send them.
        var low = 0;
        while (low < count && groups[low] == 0) low++;
        var ndigits = count - low;
        if (ndigits == 0) weight = 0;

        written = 8 + 2 * ndigits;
        if (dest.Length < written) return false;
        BinaryPrimitives.WriteInt16BigEndian(dest, (short)ndigits);
        BinaryPrimitives.WriteInt16BigEndian(dest[2..], (short)weight);
        BinaryPrimitives.WriteUInt16BigEndian(dest[4..], negative && ndigits > 0 ? SignNegative : SignPositive);
        BinaryPrimitives.WriteInt16BigEndian(dest[6..], (short)scale);
        for (var i = 0; i < ndigits; i++)
            BinaryPrimitives.WriteInt16BigEndian(dest[(8 + 2 * i)..], groups[count - 1 - i]);
        return true;
    }

    // The digit loops come in two widths because they run once per numeric cell: DECIMAL(≤ 18) values (most columns)
    // fit in a ulong, whose division by a constant the JIT turns into a multiply and shift, while UInt128 division is
    // a software routine several times slower. The wide loop stays for DECIMAL(19..38), HUGEINT and UHUGEINT.

    /// <summary>Writes the decimal digits of <paramref name="magnitude"/>, least significant first; returns their count.</summary>
    private static int DecimalDigits(ulong magnitude, Span<byte> digits)
    {
        var n = 0;
        do
        {
            digits[n++] = (byte)('0' + (int)(magnitude % 10));
            magnitude /= 10;
        } while (magnitude != 0);
        return n;
    }

    private static int DecimalDigits(UInt128 magnitude, Span<byte> digits)
    {
        var n = 0;
        do
        {
            digits[n++] = (byte)('0' + (int)(magnitude % 10));
            magnitude /= 10;
        } while (magnitude != 0);
        return n;
    }

    /// <summary>Writes the base-10000 groups of <paramref name="magnitude"/>, least significant first; returns their count.</summary>
    private static int Base10000Groups(ulong magnitude, Span<short> groups)
    {
        var count = 0;
        while (magnitude != 0)
        {
            groups[count++] = (short)(magnitude % 10000);
            magnitude /= 10000;
        }
        return count;
    }

    private static int Base10000Groups(UInt128 magnitude, Span<short> groups)
    {
        var count = 0;
        while (magnitude != 0)
        {
            groups[count++] = (short)(int)(magnitude % 10000);
            magnitude /= 10000;
        }
        return count;
    }

    /// <summary>Decodes a binary numeric parameter into its exact decimal text.</summary>
    public static string ReadBinaryAsText(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8) throw CodecErrors.BinaryLength("numeric", data.Length);
        var ndigits = BinaryPrimitives.ReadInt16BigEndian(data);
        var weight = BinaryPrimitives.ReadInt16BigEndian(data[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        var dscale = BinaryPrimitives.ReadInt16BigEndian(data[6..]);
        if (ndigits < 0 || data.Length != 8 + 2 * ndigits) throw CodecErrors.BinaryLength("numeric", data.Length);
        if (sign == SignNaN) return "NaN";
        if (sign is not (SignPositive or SignNegative) || dscale < 0)
            throw new PgErrorException(SqlState.InvalidBinaryRepresentation, "invalid sign or scale in external \"numeric\" value");

        var sb = new StringBuilder();
        if (sign == SignNegative) sb.Append('-');
        // Integer part: groups with weight >= 0.
        if (weight < 0) sb.Append('0');
        for (var w = 0; w <= weight; w++)
        {
            var idx = w;
            var group = idx < ndigits ? BinaryPrimitives.ReadInt16BigEndian(data[(8 + 2 * idx)..]) : 0;
            sb.Append(w == 0 ? group.ToString(CultureInfo.InvariantCulture) : group.ToString("0000", CultureInfo.InvariantCulture));
        }
        if (dscale > 0)
        {
            var fraction = new StringBuilder();
            for (var w = -1; fraction.Length < dscale; w--)
            {
                var idx = weight - w;
                var group = idx >= 0 && idx < ndigits ? BinaryPrimitives.ReadInt16BigEndian(data[(8 + 2 * idx)..]) : 0;
                fraction.Append(group.ToString("0000", CultureInfo.InvariantCulture));
            }
            sb.Append('.').Append(fraction.ToString(0, dscale));
        }
        return sb.ToString();
    }
}
