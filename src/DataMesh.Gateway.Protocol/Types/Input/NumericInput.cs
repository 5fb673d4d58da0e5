using System.Text;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Input;

/// <summary>
/// PostgreSQL 15's numeric_in: surrounding spaces, a sign, digits with at most one point, an exponent (e/E), NaN and
/// [+-]Infinity / inf in any case. The value comes back as plain decimal text with the exponent applied and the input's
/// scale kept (<c>1.5E-3</c> → <c>0.0015</c>, <c> 00012.3400 </c> → <c>12.3400</c>), so the engine gets it exactly.
/// Underscores and hex are PostgreSQL 16 syntax, so 22P02 here as on 15.
/// </summary>
public static class NumericInput
{
    public const string NaN = "NaN";
    public const string Infinity = "Infinity";
    public const string NegativeInfinity = "-Infinity";

    public static string Parse(string text)
    {
        var t = text.Trim();
        var special = t.ToLowerInvariant() switch
        {
            "nan" => NaN,
            "infinity" or "+infinity" or "inf" or "+inf" => Infinity,
            "-infinity" or "-inf" => NegativeInfinity,
            _ => null,
        };
        if (special is not null) return special;

        var i = 0;
        var negative = false;
        if (i < t.Length && t[i] is '+' or '-') negative = t[i++] == '-';
        var integer = new StringBuilder();
        var fraction = new StringBuilder();
        var sawPoint = false;
        for (; i < t.Length; i++)
        {
            if (char.IsAsciiDigit(t[i])) (sawPoint ? fraction : integer).Append(t[i]);
            else if (t[i] == '.' && !sawPoint) sawPoint = true;
            else break;
        }
        if (integer.Length + fraction.Length == 0) throw Invalid(text);
        var exponent = 0;
        if (i < t.Length && t[i] is 'e' or 'E')
        {
            i++;
            var expNegative = false;
            if (i < t.Length && t[i] is '+' or '-') expNegative = t[i++] == '-';
            var start = i;
            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                exponent = exponent * 10 + (t[i] - '0');
                if (exponent > 1000) throw new PgErrorException(SqlState.InvalidTextRepresentation, $"invalid input syntax for type numeric: \"{text}\"");
                i++;
            }
            if (i == start) throw Invalid(text);
            if (expNegative) exponent = -exponent;
        }
        if (i != t.Length) throw Invalid(text);
        return Normalise(negative, integer.ToString(), fraction.ToString(), exponent);
    }

    /// <summary>Moves the point by the exponent; the scale is the fraction's length minus the exponent, at least zero.</summary>
    private static string Normalise(bool negative, string integer, string fraction, int exponent)
    {
        var digits = integer + fraction;
        var point = integer.Length + exponent; // position of the point within digits
        var scale = Math.Max(0, fraction.Length - exponent);
        if (point < 0)
        {
            digits = new string('0', -point) + digits;
            point = 0;
        }
        if (point > digits.Length) digits += new string('0', point - digits.Length);
        var whole = digits[..point].TrimStart('0');
        var frac = digits[point..];
        if (frac.Length < scale) frac += new string('0', scale - frac.Length);
        frac = frac[..scale];
        if (whole.Length == 0) whole = "0";
        var isZero = whole == "0" && frac.All(c => c == '0');
        var sb = new StringBuilder();
        if (negative && !isZero) sb.Append('-');
        sb.Append(whole);
        if (scale > 0) sb.Append('.').Append(frac);
        return sb.ToString();
    }

    private static PgErrorException Invalid(string text) =>
        new(SqlState.InvalidTextRepresentation, $"invalid input syntax for type numeric: \"{text}\"");
}
