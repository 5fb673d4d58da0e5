using System.Globalization;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>
/// C's <c>%.*g</c>: the shorter of fixed and exponent form with <c>precision</c> significant digits, trailing zeros
/// dropped. PostgreSQL shows real-valued settings with %g (six digits) and floats with extra_float_digits ≤ 0 with
/// %.{15+n}g (float8) or %.{6+n}g (float4).
/// </summary>
public static class CFormat
{
    public static string G(double value, int precision = 6)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";
        precision = Math.Max(precision, 1);
        // The exponent after rounding to the precision decides the style, as C does (999999.5 is 1e+06 with %g).
        var scientific = value.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var e = scientific.IndexOf('E');
        var exponent = int.Parse(scientific[(e + 1)..], CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= precision)
        {
            var mantissa = scientific[..e];
            if (mantissa.Contains('.')) mantissa = mantissa.TrimEnd('0').TrimEnd('.');
            return $"{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }
        var fixedText = value.ToString("F" + (precision - 1 - exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return fixedText.Contains('.') ? fixedText.TrimEnd('0').TrimEnd('.') : fixedText;
    }
}
