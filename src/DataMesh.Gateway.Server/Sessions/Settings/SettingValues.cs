using System.Globalization;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types.Codecs;

namespace DataMesh.Gateway.Server.Sessions.Settings;

/// <summary>
/// PostgreSQL's input rules for a parameter's value by its type (guc.c: parse_bool, parse_int with units, parse_real,
/// enum lookup) and the form SHOW gives it back in: booleans as on/off, enums by their canonical name, numbers with
/// units in the largest unit that divides them (<c>65536</c> kB → <c>64MB</c>, 5000 ms → <c>5s</c>), reals as C's %g.
/// Errors are PostgreSQL's: 22023 with its wording and hints.
/// </summary>
public static class SettingValues
{
    /// <summary>
    /// The value as SHOW will give it, or 22023 when PostgreSQL would refuse it for this parameter. Errors name the
    /// parameter as the statement did (<paramref name="name"/>, folded to lower case unless quoted), as PostgreSQL's do.
    /// </summary>
    public static string Canonical(PgSetting setting, string value, string? name = null)
    {
        var named = setting with { Name = name ?? setting.Name };
        return setting.Type switch
        {
            SettingType.Bool => Protocol.Types.Input.BoolInput.TryParse(value) is { } b ? (b ? "on" : "off")
                : throw new PgErrorException(SqlState.InvalidParameterValue, $"parameter \"{named.Name}\" requires a Boolean value"),
            SettingType.Enum => EnumValue(named, value),
            SettingType.Integer => ShowNumber(setting, ParseNumber(named, value, integer: true), integer: true),
            SettingType.Real => ShowNumber(setting, ParseNumber(named, value, integer: false), integer: false),
            _ => value,
        };
    }

    private static string EnumValue(PgSetting setting, string value)
    {
        foreach (var allowed in setting.EnumValues)
            if (allowed.Equals(value, StringComparison.OrdinalIgnoreCase)) return allowed;
        // Spellings PostgreSQL accepts but does not list: booleans for on/off enums, "debug" for debug2, "info".
        var lower = value.ToLowerInvariant();
        if (setting.EnumValues.Contains("on") && setting.EnumValues.Contains("off") && lower is "true" or "yes" or "1" or "false" or "no" or "0")
            return lower is "true" or "yes" or "1" ? "on" : "off";
        if (setting.EnumValues.Contains("debug2") && lower is "debug") return "debug2";
        if (setting.EnumValues.Contains("notice") && lower is "info") return "info";
        throw new PgErrorException(SqlState.InvalidParameterValue, $"invalid value for parameter \"{setting.Name}\": \"{value}\"",
            hint: $"Available values: {string.Join(", ", setting.EnumValues)}.");
    }

    private static readonly (string Unit, double Kilobytes)[] MemoryUnits = [("TB", 1024.0 * 1024 * 1024), ("GB", 1024.0 * 1024), ("MB", 1024), ("kB", 1), ("B", 1.0 / 1024)];
    private static readonly (string Unit, double Milliseconds)[] TimeUnits = [("d", 86_400_000), ("h", 3_600_000), ("min", 60_000), ("s", 1000), ("ms", 1), ("us", 0.001)];

    /// <summary>How many of a setting's base unit one <paramref name="unit"/> is (units are case-sensitive, as in PostgreSQL).</summary>
    private static double? InBaseUnits(string baseUnit, string unit)
    {
        var (table, baseSize) = UnitTable(baseUnit);
        if (table is null) return null;
        foreach (var (name, size) in table)
            if (name == unit) return size / baseSize;
        return null;
    }

    private static ((string Unit, double Size)[]? Table, double BaseSize) UnitTable(string baseUnit) => baseUnit switch
    {
        "B" => (MemoryUnits, 1.0 / 1024),
        "kB" => (MemoryUnits, 1),
        "8kB" => (MemoryUnits, 8),
        "MB" => (MemoryUnits, 1024),
        "us" => (TimeUnits, 0.001),
        "ms" => (TimeUnits, 1),
        "s" => (TimeUnits, 1000),
        "min" => (TimeUnits, 60_000),
        _ => (null, 1),
    };

    private static double ParseNumber(PgSetting setting, string value, bool integer)
    {
        var invalid = new PgErrorException(SqlState.InvalidParameterValue, $"invalid value for parameter \"{setting.Name}\": \"{value}\"");
        var (number, rest) = LeadingNumber(value, integer);
        if (number is not { } n || double.IsNaN(n)) throw invalid;
        rest = rest.TrimStart();
        if (rest.Length > 0)
        {
            var factor = setting.Unit.Length > 0 ? InBaseUnits(setting.Unit, rest.TrimEnd()) : null;
            if (factor is null)
            {
                if (setting.Unit.Length == 0) throw invalid;
                var memory = UnitTable(setting.Unit).Table == MemoryUnits;
                throw new PgErrorException(SqlState.InvalidParameterValue, invalid.Message, hint: memory
                    ? "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\"."
                    : "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".");
            }
            n *= factor.Value;
        }
        if (integer)
        {
            n = Math.Round(n, MidpointRounding.ToEven);
            if (n is > int.MaxValue or < int.MinValue)
                throw new PgErrorException(SqlState.InvalidParameterValue, invalid.Message, hint: "Value exceeds integer range.");
        }
        if (n < setting.Min || n > setting.Max)
        {
            var unit = setting.Unit.Length > 0 ? " " + setting.Unit : "";
            var range = integer ? $"({Integral(setting.Min)} .. {Integral(setting.Max)})" : $"({CFormat.G(setting.Min)} .. {CFormat.G(setting.Max)})";
            throw new PgErrorException(SqlState.InvalidParameterValue,
                $"{(integer ? Integral(n) : CFormat.G(n))}{unit} is outside the valid range for parameter \"{setting.Name}\" {range}");
        }
        return n;
    }

    private static string Integral(double n) => ((long)n).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The number at the start of <paramref name="text"/> as C's strtol(…, 0) reads it for integers (leading space, sign,
    /// 0x hex, leading-0 octal), falling back to strtod when a '.', 'e' or overflow follows; null when there is none.
    /// </summary>
    private static (double? Number, string Tail) LeadingNumber(string text, bool integer)
    {
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        var start = i;
        if (i < text.Length && text[i] is '+' or '-') i++;
        var negative = i > start && text[start] == '-';
        if (integer)
        {
            var (radix, digitsFrom) = i + 1 < text.Length && text[i] == '0' && text[i + 1] is 'x' or 'X' ? (16, i + 2)
                : i < text.Length && text[i] == '0' ? (8, i) : (10, i);
            var j = digitsFrom;
            double value = 0;
            while (j < text.Length && DigitValue(text[j]) is { } d && d < radix)
            {
                value = value * radix + d;
                j++;
            }
            var overflow = value > long.MaxValue;
            var next = j < text.Length ? text[j] : '\0';
            if (j > digitsFrom && next is not ('.' or 'e' or 'E') && !overflow) return (negative ? -value : value, text[j..]);
            if (radix == 16 && j == digitsFrom) return (0, text[(digitsFrom - 1)..]); // "0x" alone: strtol reads the 0
        }
        var k = i;
        while (k < text.Length && char.IsAsciiDigit(text[k])) k++;
        if (k < text.Length && text[k] == '.') { k++; while (k < text.Length && char.IsAsciiDigit(text[k])) k++; }
        if (k == i || (k == i + 1 && text[i] == '.')) return (null, text);
        if (k < text.Length && text[k] is 'e' or 'E')
        {
            var e = k + 1;
            if (e < text.Length && text[e] is '+' or '-') e++;
            var digits = e;
            while (e < text.Length && char.IsAsciiDigit(text[e])) e++;
            if (e > digits) k = e;
        }
        return double.TryParse(text.AsSpan(start, k - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? (parsed, text[k..]) : (null, text);
    }

    private static int? DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => null,
    };

    /// <summary>SHOW's form: with a unit, in the largest unit that divides the value exactly (0 and negatives plain).</summary>
    public static string ShowNumber(PgSetting setting, double value, bool integer)
    {
        var (table, baseSize) = UnitTable(setting.Unit);
        if (table is null || value <= 0 || setting.ShowPlain) return integer ? Integral(value) : CFormat.G(value);
        foreach (var (unit, size) in table)
        {
            var multiplier = size / baseSize;
            var converted = value / multiplier;
            if (integer ? multiplier <= 1 || value % multiplier == 0 : multiplier <= 1 || converted == Math.Round(converted))
                return (integer ? Integral(Math.Round(converted)) : CFormat.G(converted)) + unit;
        }
        return integer ? Integral(value) : CFormat.G(value);
    }
}
