using System.Globalization;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Input;

/// <summary>The field order DateStyle gives ambiguous all-numeric dates (<c>01/02/2024</c>).</summary>
public enum DateOrder
{
    MDY,
    DMY,
    YMD,
}

/// <summary>
/// PostgreSQL's date_in, timestamp_in, timestamptz_in and time_in for parameter values: ISO dates with a 'T' or a space
/// before the clock and any zone after it (<c>2024-01-01T00:00:00.000+00:00</c> from node-postgres, <c>… 00:00:00Z</c>
/// from lib/pq), numeric dates in DateStyle's order, month names, YYYYMMDD, Julian days, AM/PM, BC, zone offsets,
/// abbreviations and IANA names, and the special values (epoch, infinity, now, today, tomorrow, yesterday, allballs).
/// date ignores a time and zone, timestamp ignores a zone, timestamptz converts to UTC (a value without a zone is in the
/// session's time zone, UTC). Errors are PostgreSQL's: 22007 syntax, 22008 a field or the result out of range, 22009
/// a zone offset out of range, 22023 an unknown zone name.
/// </summary>
public static class DateTimeInput
{
    private const long MicrosPerSecond = 1_000_000;
    private const long MicrosPerDay = 86_400_000_000;
    private const int UnixEpochJulian = 2_440_588;

    /// <summary>The Julian day PostgreSQL's dates end before (5874898-01-01).</summary>
    private const long LastJulianDay = 2_147_483_494;

    // PostgreSQL's timestamps run from 4713 BC to the end of 294276 AD; DuckDB's (Unix microseconds in a long) end a
    // little earlier, in 294247, so a value past long's range is out of range here.
    private const long FirstTimestamp = -210_866_803_200_000_000;

    /// <summary>Days since 1970-01-01; int.MaxValue and -int.MaxValue are ±infinity.</summary>
    public static int ParseDate(string text, DateOrder order = DateOrder.MDY, TimeProvider? clock = null)
    {
        var f = Fields.Parse(text, "date", order, clock ?? TimeProvider.System);
        if (f.Special is { } special) return special switch { long.MaxValue => int.MaxValue, -long.MaxValue => -int.MaxValue, _ => (int)FloorDiv(special, MicrosPerDay) };
        var days = f.UnixDays(text, "date");
        // PostgreSQL's dates run from 4713 BC (Julian day 0) to 5874897 AD.
        if (days < -UnixEpochJulian || days >= LastJulianDay - UnixEpochJulian)
            throw new PgErrorException(SqlState.DatetimeFieldOverflow, $"date out of range: \"{text}\"");
        return (int)days;
    }

    /// <summary>Microseconds since 1970-01-01 (UTC for timestamptz); long.MaxValue and -long.MaxValue are ±infinity.</summary>
    public static long ParseTimestamp(string text, bool withZone, DateOrder order = DateOrder.MDY, TimeProvider? clock = null)
    {
        var type = withZone ? "timestamp with time zone" : "timestamp";
        var f = Fields.Parse(text, type, order, clock ?? TimeProvider.System);
        if (f.Special is { } special) return special;
        var local = (Int128)f.UnixDays(text, type) * MicrosPerDay + f.TimeOfDay(text);
        var micros = withZone && local >= long.MinValue && local <= long.MaxValue
            ? local - (Int128)f.OffsetSeconds((long)local, text) * MicrosPerSecond : local;
        if (micros < FirstTimestamp || micros >= long.MaxValue)
            throw new PgErrorException(SqlState.DatetimeFieldOverflow, $"timestamp out of range: \"{text}\"");
        return (long)micros;
    }

    /// <summary>Microseconds since midnight (24:00:00 allowed); a date or zone in the text is ignored.</summary>
    public static long ParseTime(string text)
    {
        var f = Fields.Parse(text, "time", DateOrder.MDY, TimeProvider.System);
        if (f.Special is not null && !f.AllBalls || f.Time is null && !f.AllBalls) throw Invalid(text, "time");
        return f.AllBalls ? 0 : f.TimeOfDay(text);
    }

    internal static PgErrorException Invalid(string text, string type) =>
        new(SqlState.InvalidDatetimeFormat, $"invalid input syntax for type {type}: \"{text}\"");

    internal static PgErrorException OutOfRange(string text) =>
        new(SqlState.DatetimeFieldOverflow, $"date/time field value out of range: \"{text}\"");

    private static long FloorDiv(long a, long b) => a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);

    /// <summary>The fields one input string gave, before they are checked and combined.</summary>
    private sealed class Fields
    {
        public long? Year, Month, Day, Special, DayOfYear;
        public decimal? Time;
        public bool Pm, Am, Bc, AllBalls, TwoDigitYear;
        public int? Offset;
        public TimeZoneInfo? Zone;

        public static Fields Parse(string text, string type, DateOrder order, TimeProvider clock)
        {
            var t = text.Trim();
            var f = new Fields();
            switch (t.ToLowerInvariant())
            {
                case "infinity" or "+infinity": f.Special = long.MaxValue; return f;
                case "-infinity": f.Special = -long.MaxValue; return f;
                case "epoch": f.Special = 0; return f;
                case "allballs": f.AllBalls = true; return f;
                case "now": f.Special = (clock.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) / 10; return f;
                case "today" or "tomorrow" or "yesterday":
                    var today = FloorDiv((clock.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) / 10, MicrosPerDay);
                    f.Special = (today + t.ToLowerInvariant() switch { "tomorrow" => 1, "yesterday" => -1, _ => 0 }) * MicrosPerDay;
                    return f;
            }
            try
            {
                return Parse(t, f, text, type, order);
            }
            catch (OverflowException)
            {
                throw OutOfRange(text);
            }
        }

        private static Fields Parse(string t, Fields f, string text, string type, DateOrder order)
        {
            var tokens = DateTimeTokens.Split(t) ?? throw Invalid(text, type);
            // An ISO 'T' standing alone must be followed by the clock it introduces.
            if (tokens.Count == 0 || tokens[^1] is { Kind: DateTimeTokenKind.Word, Text: "T" or "t" }) throw Invalid(text, type);
            if (tokens.Any(x => x.Kind == DateTimeTokenKind.Word && DayNames.Contains(x.Text.ToLowerInvariant()))
                && tokens.Any(x => x.Kind == DateTimeTokenKind.Date && x.Text.Contains('-')))
                throw Invalid(text, type);
            foreach (var token in tokens) f.Take(token, tokens, text, type, order);
            return f;
        }

        private void Take(DateTimeToken token, List<DateTimeToken> all, string text, string type, DateOrder order)
        {
            switch (token.Kind)
            {
                case DateTimeTokenKind.Date:
                    if (Year is not null || Month is not null) throw Invalid(text, type);
                    DateParts(token.Text, text, type, order);
                    break;
                case DateTimeTokenKind.Time:
                    if (Time is not null) throw Invalid(text, type);
                    Time = Clock(token.Text, text, type);
                    break;
                case DateTimeTokenKind.Offset:
                    if (Offset is not null || Zone is not null || (Time is null && Year is null)) throw Invalid(text, type);
                    Offset = NumericOffset(token.Text, text, type);
                    break;
                case DateTimeTokenKind.Number:
                    Number(token.Text, all, text, type);
                    break;
                default:
                    Word(token.Text, text, type);
                    break;
            }
        }

        private void DateParts(string token, string text, string type, DateOrder order)
        {
            var separator = token.First(c => c is '-' or '/' or '.');
            var parts = token.Split(separator);
            if (parts.Any(p => p.Length == 0)) throw Invalid(text, type);
            var monthAt = Array.FindIndex(parts, p => char.IsAsciiLetter(p[0]));
            long Num(string p) => p.All(char.IsAsciiDigit) && p.Length <= 9 ? long.Parse(p, CultureInfo.InvariantCulture) : throw Invalid(text, type);
            if (parts.Length == 2 && monthAt < 0 && parts[0].Length >= 4 && parts[1].Length == 3)
            {
                // Year and day of the year (2024-001).
                Year = Num(parts[0]);
                Month = 1;
                Day = 1;
                DayOfYear = Num(parts[1]);
                return;
            }
            if (parts.Length != 3) throw Invalid(text, type);
            if (monthAt >= 0)
            {
                Month = MonthNumber(parts[monthAt]) ?? throw Invalid(text, type);
                var rest = parts.Where((_, i) => i != monthAt).ToArray();
                var yearFirst = rest[0].Length >= 3 || (monthAt == 1 && order == DateOrder.YMD);
                (Year, Day) = yearFirst ? (Num(rest[0]), Num(rest[1])) : (Num(rest[1]), Num(rest[0]));
                TwoDigitYear = (yearFirst ? rest[0] : rest[1]).Length <= 2;
                return;
            }
            var (y, m, d) = parts[0].Length >= 3 ? (0, 1, 2) : order switch
            {
                DateOrder.DMY => (2, 1, 0),
                DateOrder.YMD => (0, 1, 2),
                _ => (2, 0, 1),
            };
            (Year, Month, Day) = (Num(parts[y]), Num(parts[m]), Num(parts[d]));
            TwoDigitYear = parts[y].Length <= 2;
        }

        private void Number(string token, List<DateTimeToken> all, string text, string type)
        {
            if (token.Contains('.'))
            {
                // HHMMSS.ffffff after a date.
                var dot = token.IndexOf('.');
                if (dot != 6 || Time is not null) throw Invalid(text, type);
                Time = Clock($"{token[..2]}:{token[2..4]}:{token[4..]}", text, type);
                return;
            }
            if (token.Length == 8 && Year is null && Month is null)
            {
                (Year, Month, Day) = (long.Parse(token[..4], CultureInfo.InvariantCulture), long.Parse(token[4..6], CultureInfo.InvariantCulture), long.Parse(token[6..], CultureInfo.InvariantCulture));
                return;
            }
            if (token.Length is 6 or 4 && Time is null && (Year is not null || type == "time") && Day is not null || token.Length == 6 && type == "time" && Time is null)
            {
                Time = Clock(token.Length == 6 ? $"{token[..2]}:{token[2..4]}:{token[4..]}" : $"{token[..2]}:{token[2..]}", text, type);
                return;
            }
            // With a month name: a day (at most two digits) first, then the year.
            var n = token.Length <= 9 ? long.Parse(token, CultureInfo.InvariantCulture) : throw Invalid(text, type);
            var monthNamed = Month is not null || all.Any(x => x.Kind == DateTimeTokenKind.Word && MonthNumber(x.Text) is not null);
            if (!monthNamed) throw Invalid(text, type);
            if (Day is null && token.Length <= 2) Day = n;
            else if (Year is null) { Year = n; TwoDigitYear = token.Length <= 2; }
            else throw Invalid(text, type);
        }

        private void Word(string word, string text, string type)
        {
            var lower = word.ToLowerInvariant();
            if (MonthNumber(lower) is { } month)
            {
                if (Month is not null) throw Invalid(text, type);
                Month = month;
                return;
            }
            switch (lower)
            {
                case "am" or "a.m.": Am = true; return;
                case "pm" or "p.m.": Pm = true; return;
                case "bc" or "b.c.": Bc = true; return;
                case "ad" or "a.d.": return;
                case "t": return;
            }
            // A day name goes with a date in words ("Mon Jan 1 2024"); before an ISO date PostgreSQL refuses it.
            if (DayNames.Contains(lower)) return;
            if (lower.Length > 1 && lower[0] == 'j' && lower[1..].All(char.IsAsciiDigit) && lower.Length <= 10)
            {
                Codecs.DateTimeCodecs.CivilFromDays(long.Parse(lower[1..], CultureInfo.InvariantCulture) - UnixEpochJulian, out var y, out var m, out var d);
                (Year, Month, Day) = y > 0 ? (y, m, d) : (1 - y, m, d);
                Bc |= y <= 0;
                return;
            }
            if (Offset is not null || Zone is not null) throw Invalid(text, type);
            if (ZoneNames.Abbreviation(lower) is { } offset)
            {
                Offset = offset;
                return;
            }
            Zone = ZoneNames.Zone(word) ?? (word.Contains('/')
                ? throw new PgErrorException(SqlState.InvalidParameterValue, $"time zone \"{lower}\" not recognized")
                : throw Invalid(text, type));
            if (type == "time") throw Invalid(text, type);
        }

        private static readonly HashSet<string> DayNames =
            ["sun", "mon", "tue", "tues", "wed", "wednes", "thu", "thur", "thurs", "fri", "sat", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

        private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        private static readonly string[] FullMonths = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

        private static int? MonthNumber(string word)
        {
            var w = word.ToLowerInvariant().TrimEnd('.');
            var i = Array.IndexOf(Months, w);
            if (i < 0) i = Array.IndexOf(FullMonths, w);
            if (i < 0 && w == "sept") i = 8;
            return i < 0 ? null : i + 1;
        }

        /// <summary>
        /// h:m[:s[.f]] in microseconds (m:s.f when two fields and the second has a fraction, as PostgreSQL reads it), the
        /// fraction rounded half to even to a microsecond (PostgreSQL's rint).
        /// </summary>
        private static decimal Clock(string token, string text, string type)
        {
            var parts = token.Split(':');
            if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length is 0 or > 12)) throw Invalid(text, type);
            if (!parts[..^1].All(p => p.All(char.IsAsciiDigit)) || !parts[^1].All(c => char.IsAsciiDigit(c) || c == '.')
                || parts[^1].Count(c => c == '.') > 1 || parts[^1].StartsWith('.'))
                throw Invalid(text, type);
            if (parts.Length == 2 && parts[1].Contains('.')) parts = ["0", parts[0], parts[1]];
            var h = long.Parse(parts[0], CultureInfo.InvariantCulture);
            var m = decimal.Parse(parts[1], CultureInfo.InvariantCulture);
            var s = parts.Length == 3 ? decimal.Parse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : 0;
            if (m >= 60 || s > 60) throw OutOfRange(text);
            return Math.Round((h * 3600 + m * 60 + s) * MicrosPerSecond, MidpointRounding.ToEven);
        }

        private static int NumericOffset(string token, string text, string type)
        {
            var sign = token[0] == '-' ? -1 : 1;
            var body = token[1..];
            string[] parts = body.Contains(':') ? body.Split(':')
                : body.Length <= 2 ? [body] : body.Length == 4 ? [body[..2], body[2..]] : body.Length == 6 ? [body[..2], body[2..4], body[4..]]
                : throw Invalid(text, type);
            if (parts.Length > 3 || parts.Any(p => p.Length == 0 || p.Length > 2 || !p.All(char.IsAsciiDigit))) throw Invalid(text, type);
            var h = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var m = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
            var s = parts.Length > 2 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : 0;
            if (m >= 60 || s >= 60) throw OutOfRange(text);
            if (h > 15) throw new PgErrorException(SqlState.InvalidTimeZoneDisplacementValue, $"time zone displacement out of range: \"{text}\"");
            return sign * (h * 3600 + m * 60 + s);
        }

        public long UnixDays(string text, string type)
        {
            if (Year is not { } year || Month is not { } month || Day is not { } day) throw Invalid(text, type);
            // A year of one or two digits in a non-ISO date is 1970–2069, as in PostgreSQL.
            if (TwoDigitYear && !Bc) year += year < 70 ? 2000 : 1900;
            if (year == 0 || month is < 1 or > 12 || day < 1) throw OutOfRange(text);
            if (year > 5_874_898) throw new PgErrorException(SqlState.DatetimeFieldOverflow, $"date out of range: \"{text}\"");
            var astronomical = Bc ? 1 - year : year;
            if (day > DaysIn(astronomical, month)) throw OutOfRange(text);
            if (DayOfYear is { } doy)
                return doy is >= 1 and <= 366 ? DaysFromCivil(astronomical, 1, 1) + doy - 1 : throw OutOfRange(text);
            return DaysFromCivil(astronomical, (int)month, (int)day);
        }

        public long TimeOfDay(string text)
        {
            if (Time is not { } micros) return 0;
            var hours = (long)(micros / (3600 * MicrosPerSecond));
            if (Am || Pm)
            {
                if (hours is < 0 or > 12) throw OutOfRange(text);
                if (Am && hours == 12) micros -= 12 * 3600 * MicrosPerSecond;
                if (Pm && hours != 12) micros += 12 * 3600 * MicrosPerSecond;
            }
            // 24:00:00 is midnight at the end of the day; anything later is out of range.
            if (micros > MicrosPerDay) throw OutOfRange(text);
            return (long)micros;
        }

        /// <summary>Seconds east of UTC for a local time: the given offset or zone, else the session's zone (UTC).</summary>
        public long OffsetSeconds(long localMicros, string text)
        {
            if (Offset is { } offset) return offset;
            if (Zone is null) return 0;
            var ticks = localMicros * 10 + DateTime.UnixEpoch.Ticks;
            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return (long)Zone.BaseUtcOffset.TotalSeconds;
            return (long)Zone.GetUtcOffset(new DateTime(ticks, DateTimeKind.Unspecified)).TotalSeconds;
        }

        private static long DaysIn(long year, long month) => month switch
        {
            2 => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28,
            4 or 6 or 9 or 11 => 30,
            _ => 31,
        };

        /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).</summary>
        private static long DaysFromCivil(long y, int m, int d)
        {
            y -= m <= 2 ? 1 : 0;
            var era = (y >= 0 ? y : y - 399) / 400;
            var yoe = y - era * 400;
            var doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
            var doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            return era * 146_097 + doe - 719_468;
        }
    }
}
