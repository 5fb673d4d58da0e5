using System.Globalization;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types.Codecs;

namespace DataMesh.Gateway.Protocol.Types.Input;

/// <summary>
/// PostgreSQL's interval_in: the postgres form (<c>[@] 1 year 2 mons -3 days 04:05:06.7 [ago]</c>, units spelled out or
/// abbreviated, fractions carried down: <c>1.5 days</c> is 1 day 12:00:00), the SQL-standard form (<c>1-2</c>,
/// <c>3 4:05:06</c>) and ISO 8601 (<c>P1Y2M3DT4H5M6S</c>, <c>P0001-02-03T04:05:06</c>). A unit given twice, an unknown
/// word or a stray number is 22007, as in PostgreSQL.
/// </summary>
public static class IntervalInput
{
    public static PgInterval Parse(string text, bool sqlStandardStyle = false)
    {
        var t = text.Trim();
        if (t.Length == 0) throw Invalid(text);
        var acc = new Accumulator();
        try
        {
            if (t[0] is 'P' or 'p') Iso8601(t, text, ref acc);
            else Postgres(t, text, sqlStandardStyle, ref acc);
            return acc.Result(text);
        }
        catch (OverflowException)
        {
            // A field with more digits than any interval holds, or a product of such fields.
            throw new PgErrorException(SqlState.IntervalFieldOverflow, $"interval field value out of range: \"{text}\"");
        }
    }

    private struct Accumulator
    {
        public decimal Months;
        public decimal Days;
        public decimal Micros;
        private int _seen;

        /// <summary>Marks a field (one bit per unit kind); a field given twice is a syntax error.</summary>
        public void See(int field, string text)
        {
            if ((_seen & field) != 0) throw Invalid(text);
            _seen |= field;
        }

        public readonly PgInterval Result(string text)
        {
            var micros = Math.Round(Micros, MidpointRounding.ToEven);
            if (Months is > int.MaxValue or < int.MinValue || Days is > int.MaxValue or < int.MinValue || micros is > long.MaxValue or < long.MinValue)
                throw new PgErrorException(SqlState.IntervalFieldOverflow, $"interval field value out of range: \"{text}\"");
            return new PgInterval((int)Months, (int)Days, (long)micros);
        }
    }

    private const decimal MicrosPerSecond = 1_000_000m;
    private const decimal MicrosPerDay = 86_400_000_000m;

    /// <summary>Adds <paramref name="n"/> of a unit, carrying fractions down as PostgreSQL does (a month is 30 days).</summary>
    private static void Add(ref Accumulator acc, decimal n, string unit)
    {
        switch (unit)
        {
            case "millennium": AddYears(ref acc, n, 1000); break;
            case "century": AddYears(ref acc, n, 100); break;
            case "decade": AddYears(ref acc, n, 10); break;
            case "year": AddYears(ref acc, n, 1); break;
            case "month": AddMonths(ref acc, n); break;
            case "week": AddDays(ref acc, n * 7); break;
            case "day": AddDays(ref acc, n); break;
            case "hour": acc.Micros += n * 3600 * MicrosPerSecond; break;
            case "minute": acc.Micros += n * 60 * MicrosPerSecond; break;
            case "second": acc.Micros += n * MicrosPerSecond; break;
            case "millisecond": acc.Micros += n * 1000; break;
            case "microsecond": acc.Micros += n; break;
        }
    }

    /// <summary>Years' fractions become whole months, rounded half to even (PostgreSQL's rint).</summary>
    private static void AddYears(ref Accumulator acc, decimal n, int years)
    {
        var whole = decimal.Truncate(n);
        acc.Months += whole * years * 12 + Math.Round((n - whole) * years * 12, MidpointRounding.ToEven);
    }

    private static void AddMonths(ref Accumulator acc, decimal months)
    {
        // A month's fraction becomes 30-day days, and a day's fraction time.
        var whole = decimal.Truncate(months);
        acc.Months += whole;
        var fraction = months - whole;
        if (fraction != 0) AddDays(ref acc, fraction * 30);
    }

    private static void AddDays(ref Accumulator acc, decimal days)
    {
        var whole = decimal.Truncate(days);
        acc.Days += whole;
        acc.Micros += (days - whole) * MicrosPerDay;
    }

    private static readonly Dictionary<string, (string Unit, int Field)> Units = BuildUnits();

    private static Dictionary<string, (string, int)> BuildUnits()
    {
        var d = new Dictionary<string, (string, int)>(StringComparer.OrdinalIgnoreCase);
        void Add(string unit, int field, params string[] spellings) { foreach (var s in spellings) d[s] = (unit, field); }
        Add("microsecond", 1 << 0, "microsecond", "microseconds", "microsecon", "us", "usec", "usecs", "useconds");
        Add("millisecond", 1 << 1, "millisecond", "milliseconds", "millisecon", "ms", "msec", "msecs", "mseconds");
        Add("second", 1 << 2, "second", "seconds", "s", "sec", "secs");
        Add("minute", 1 << 3, "minute", "minutes", "m", "min", "mins");
        Add("hour", 1 << 4, "hour", "hours", "h", "hr", "hrs");
        Add("day", 1 << 5, "day", "days", "d");
        Add("week", 1 << 6, "week", "weeks", "w");
        Add("month", 1 << 7, "month", "months", "mon", "mons");
        Add("year", 1 << 8, "year", "years", "y", "yr", "yrs");
        Add("decade", 1 << 9, "decade", "decades", "dec", "decs");
        Add("century", 1 << 10, "century", "centuries", "c", "cent");
        Add("millennium", 1 << 11, "millennium", "millennia", "mil", "mils");
        return d;
    }

    private const int TimeFields = (1 << 4) | (1 << 3) | (1 << 2) | (1 << 1) | (1 << 0);
    private const int YearMonthFields = (1 << 8) | (1 << 7);

    private static void Postgres(string t, string text, bool sqlStandardStyle, ref Accumulator acc)
    {
        var tokens = t.Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToList();
        if (tokens.Count > 0 && tokens[0] == "@") tokens.RemoveAt(0);
        else if (tokens.Count > 0 && tokens[0].StartsWith('@')) tokens[0] = tokens[0][1..];
        var ago = tokens.Count > 0 && tokens[^1].Equals("ago", StringComparison.OrdinalIgnoreCase);
        if (ago) tokens.RemoveAt(tokens.Count - 1);
        if (tokens.Count == 0) throw Invalid(text);
        // With IntervalStyle sql_standard, a leading minus applies to every field that has no sign of its own.
        var negateAll = sqlStandardStyle && tokens[0].StartsWith('-');

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var signed = token[0] is '+' or '-';
            var sign = negateAll && !signed && i > 0 ? -1m : 1m;
            if (token.Contains(':'))
            {
                acc.See(TimeFields, text);
                acc.Micros += sign * Clock(token, text);
                continue;
            }
            var (number, rest) = LeadingNumber(token);
            if (number is null) throw Invalid(text);
            if (rest.Length > 0 && rest[0] == '-' && YearMonth(token) is { } ym)
            {
                acc.See(YearMonthFields, text);
                acc.Months += sign * ym;
                continue;
            }
            var unitWord = rest;
            if (unitWord.Length == 0 && i + 1 < tokens.Count && Units.ContainsKey(tokens[i + 1])) unitWord = tokens[++i];
            if (unitWord.Length == 0)
            {
                // A bare number: days before a time field ("3 4:05:06"), otherwise seconds.
                var beforeClock = i + 1 < tokens.Count && tokens[i + 1].Contains(':');
                var unit = beforeClock ? "day" : "second";
                acc.See(Units[unit].Field, text);
                Add(ref acc, sign * number.Value, unit);
                continue;
            }
            if (!Units.TryGetValue(unitWord, out var u)) throw Invalid(text);
            acc.See(u.Field, text);
            Add(ref acc, sign * number.Value, u.Unit);
        }
        if (ago)
        {
            acc.Months = -acc.Months;
            acc.Days = -acc.Days;
            acc.Micros = -acc.Micros;
        }
    }

    /// <summary>SQL-standard year-month <c>[+-]Y-M</c>, in months.</summary>
    private static long? YearMonth(string token)
    {
        var negative = token[0] == '-';
        var body = token.TrimStart('+', '-');
        var parts = body.Split('-');
        if (parts.Length != 2 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))) return null;
        if (parts.Any(p => p.Length > 12) || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var years) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var months)) return null;
        var total = years * 12 + months;
        return negative ? -total : total;
    }

    /// <summary>A time field <c>[+-]h:m[:s[.f]]</c>, in microseconds (hours may exceed 24).</summary>
    internal static decimal Clock(string token, string text)
    {
        var negative = token[0] == '-';
        var parts = token.TrimStart('+', '-').Split(':');
        if (parts.Length is < 2 or > 3) throw Invalid(text);
        decimal total = 0;
        for (var p = 0; p < parts.Length; p++)
        {
            var last = p == parts.Length - 1;
            if (parts[p].Length == 0 || !(last ? parts[p].All(c => char.IsAsciiDigit(c) || c == '.') : parts[p].All(char.IsAsciiDigit))
                || !decimal.TryParse(parts[p], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v))
                throw Invalid(text);
            if (p > 0 && v >= 60 && !(last && parts.Length == 3 && v < 61)) throw Invalid(text);
            total += v * (p == 0 ? 3600 : p == 1 ? 60 : 1) * MicrosPerSecond;
        }
        return negative ? -total : total;
    }

    private static (decimal? Number, string Tail) LeadingNumber(string s)
    {
        var i = 0;
        if (i < s.Length && s[i] is '+' or '-') i++;
        var start = i;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
        if (i == start || s.AsSpan(start, i - start).Count('.') > 1) return (null, s);
        return decimal.TryParse(s.AsSpan(0, i), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)
            ? (n, s[i..]) : (null, s);
    }

    private static void Iso8601(string t, string text, ref Accumulator acc)
    {
        var i = 1;
        var inTime = false;
        if (i < t.Length && char.IsAsciiDigit(t[i]) && t.IndexOf('-', i) > i && !t[i..].Any(c => c is 'Y' or 'y' or 'M' or 'm' or 'D' or 'd' or 'W' or 'w'))
        {
            // The alternative format: PYYYY-MM-DD[Thh:mm:ss].
            var timeAt = t.IndexOfAny(['T', 't']);
            var date = (timeAt < 0 ? t[1..] : t[1..timeAt]).Split('-');
            if (date.Length != 3 || !date.All(p => p.All(char.IsAsciiDigit) && p.Length is > 0 and <= 9)) throw Invalid(text);
            acc.Months += long.Parse(date[0], CultureInfo.InvariantCulture) * 12 + long.Parse(date[1], CultureInfo.InvariantCulture);
            acc.Days += long.Parse(date[2], CultureInfo.InvariantCulture);
            if (timeAt >= 0) acc.Micros += Clock(t[(timeAt + 1)..], text);
            return;
        }
        if (i >= t.Length) throw Invalid(text);
        while (i < t.Length)
        {
            if (t[i] is 'T' or 't')
            {
                if (inTime) throw Invalid(text);
                inTime = true;
                i++;
                continue;
            }
            var start = i;
            if (t[i] is '+' or '-') i++;
            while (i < t.Length && (char.IsAsciiDigit(t[i]) || t[i] == '.')) i++;
            if (i == start || i >= t.Length || !decimal.TryParse(t.AsSpan(start, i - start),
                    NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
                throw Invalid(text);
            var unit = (char.ToUpperInvariant(t[i]), inTime) switch
            {
                ('Y', false) => "year",
                ('M', false) => "month",
                ('W', false) => "week",
                ('D', false) => "day",
                ('H', true) => "hour",
                ('M', true) => "minute",
                ('S', true) => "second",
                _ => throw Invalid(text),
            };
            acc.See(Units[unit].Field, text);
            Add(ref acc, n, unit);
            i++;
        }
    }

    private static PgErrorException Invalid(string text) =>
        new(SqlState.InvalidDatetimeFormat, $"invalid input syntax for type interval: \"{text}\"");
}
