using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>
/// date (1082), time (1083), timestamp (1114) and timestamptz (1184), working on the engine's Unix-epoch
/// integers. PostgreSQL's binary format counts from 2000-01-01; text is ISO, as DateStyle=ISO promises.
/// Infinity is int.MaxValue/MinValue (date) and long.MaxValue/MinValue (timestamps), as in PostgreSQL.
/// </summary>
public static class DateTimeCodecs
{
    public const int UnixToPgEpochDays = 10_957;
    public const long UnixToPgEpochMicros = 946_684_800_000_000L;
    public const long MicrosPerDay = 86_400_000_000L;
    private const long MicrosPerSecond = 1_000_000L;

    // ---- date: days since 1970-01-01 ----

    public static bool TryWriteDateBinary(int unixDays, Span<byte> dest, out int written)
    {
        written = 4;
        var pg = unixDays switch
        {
            int.MaxValue => int.MaxValue,
            <= -int.MaxValue => int.MinValue,
            _ => unixDays - UnixToPgEpochDays,
        };
        return BinaryPrimitives.TryWriteInt32BigEndian(dest, pg);
    }

    public static bool TryWriteDateText(int unixDays, Span<byte> dest, out int written)
    {
        if (unixDays == int.MaxValue) return Ascii("infinity", dest, out written);
        if (unixDays <= -int.MaxValue) return Ascii("-infinity", dest, out written);
        CivilFromDays(unixDays, out var y, out var m, out var d);
        return WriteYmd(y, m, d, dest, 0, out written) && AppendBc(y, dest, ref written);
    }

    public static int ReadDateBinary(ReadOnlySpan<byte> data)
    {
        if (data.Length != 4) throw CodecErrors.BinaryLength("date", data.Length);
        var pg = BinaryPrimitives.ReadInt32BigEndian(data);
        return pg switch
        {
            int.MaxValue => int.MaxValue,
            int.MinValue => -int.MaxValue,
            _ => pg + UnixToPgEpochDays,
        };
    }

    // ---- time: microseconds since midnight ----

    public static bool TryWriteTimeBinary(long micros, Span<byte> dest, out int written)
    {
        written = 8;
        return BinaryPrimitives.TryWriteInt64BigEndian(dest, micros);
    }

    public static bool TryWriteTimeText(long micros, Span<byte> dest, out int written) =>
        WriteClock(micros, dest, 0, out written);

    public static long ReadTimeBinary(ReadOnlySpan<byte> data) => data.Length == 8
        ? BinaryPrimitives.ReadInt64BigEndian(data)
        : throw CodecErrors.BinaryLength("time", data.Length);

    // ---- timestamp / timestamptz: microseconds since 1970-01-01 (UTC for timestamptz) ----

    public static bool TryWriteTimestampBinary(long unixMicros, Span<byte> dest, out int written)
    {
        written = 8;
        var pg = unixMicros switch
        {
            long.MaxValue => long.MaxValue,
            <= -long.MaxValue => long.MinValue,
            _ => unixMicros - UnixToPgEpochMicros,
        };
        return BinaryPrimitives.TryWriteInt64BigEndian(dest, pg);
    }

    /// <summary>Writes <c>YYYY-MM-DD HH:MM:SS[.ffffff]</c>, plus <c>+00</c> when <paramref name="withZone"/> (TimeZone is UTC).</summary>
    public static bool TryWriteTimestampText(long unixMicros, bool withZone, Span<byte> dest, out int written)
    {
        if (unixMicros == long.MaxValue) return Ascii("infinity", dest, out written);
        if (unixMicros <= -long.MaxValue) return Ascii("-infinity", dest, out written);
        var days = FloorDiv(unixMicros, MicrosPerDay);
        var timeOfDay = unixMicros - days * MicrosPerDay;
        CivilFromDays(days, out var y, out var m, out var d);
        if (!WriteYmd(y, m, d, dest, 0, out written)) return false;
        if (dest.Length < written + 1) return false;
        dest[written++] = (byte)' ';
        if (!WriteClock(timeOfDay, dest, written, out written)) return false;
        if (withZone && !AppendAscii("+00", dest, ref written)) return false;
        return AppendBc(y, dest, ref written);
    }

    public static long ReadTimestampBinary(ReadOnlySpan<byte> data)
    {
        if (data.Length != 8) throw CodecErrors.BinaryLength("timestamp", data.Length);
        var pg = BinaryPrimitives.ReadInt64BigEndian(data);
        return pg switch
        {
            long.MaxValue => long.MaxValue,
            long.MinValue => -long.MaxValue,
            _ => pg + UnixToPgEpochMicros,
        };
    }

    /// <summary>Parses date input by PostgreSQL's rules (<see cref="Input.DateTimeInput"/>) into days since 1970-01-01.</summary>
    public static int ParseDateText(string text) => Input.DateTimeInput.ParseDate(text);

    public static long ParseTimestampText(string text, bool withZone) => Input.DateTimeInput.ParseTimestamp(text, withZone);

    public static long ParseTimeText(string text) => Input.DateTimeInput.ParseTime(text);

    // ---- helpers ----

    private static bool WriteClock(long micros, Span<byte> dest, int start, out int written)
    {
        written = start;
        var secondsTotal = micros / MicrosPerSecond;
        var fraction = (int)(micros % MicrosPerSecond);
        var h = (int)(secondsTotal / 3600);
        var mi = (int)(secondsTotal / 60 % 60);
        var s = (int)(secondsTotal % 60);
        if (dest.Length < start + 15) return false;
        Two(h, dest[start..]);
        dest[start + 2] = (byte)':';
        Two(mi, dest[(start + 3)..]);
        dest[start + 5] = (byte)':';
        Two(s, dest[(start + 6)..]);
        written = start + 8;
        if (fraction != 0)
        {
            // Trailing zeros are trimmed, as PostgreSQL prints "12:00:00.5", not "12:00:00.500000".
            var digits = 6;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            if (dest.Length < written + 1 + digits) return false;
            dest[written++] = (byte)'.';
            for (var i = digits - 1; i >= 0; i--)
            {
                dest[written + i] = (byte)('0' + fraction % 10);
                fraction /= 10;
            }
            written += digits;
        }
        return true;
    }

    private static bool WriteYmd(long year, int month, int day, Span<byte> dest, int start, out int written)
    {
        written = start;
        // PostgreSQL shows years before 1 as "0044-… BC" (there is no year 0).
        var displayYear = year <= 0 ? 1 - year : year;
        Span<byte> yearText = stackalloc byte[20];
        if (!Utf8Formatter.TryFormat(displayYear, yearText, out var yearLen, new StandardFormat('D', 4))) return false;
        if (dest.Length < start + yearLen + 6) return false;
        yearText[..yearLen].CopyTo(dest[start..]);
        var p = start + yearLen;
        dest[p] = (byte)'-';
        Two(month, dest[(p + 1)..]);
        dest[p + 3] = (byte)'-';
        Two(day, dest[(p + 4)..]);
        written = p + 6;
        return true;
    }

    private static bool AppendBc(long year, Span<byte> dest, ref int written) => year > 0 || AppendAscii(" BC", dest, ref written);

    private static bool AppendAscii(string s, Span<byte> dest, ref int written)
    {
        if (dest.Length < written + s.Length) return false;
        for (var i = 0; i < s.Length; i++) dest[written + i] = (byte)s[i];
        written += s.Length;
        return true;
    }

    private static bool Ascii(string s, Span<byte> dest, out int written)
    {
        written = 0;
        return AppendAscii(s, dest, ref written);
    }

    private static void Two(int value, Span<byte> dest)
    {
        dest[0] = (byte)('0' + value / 10);
        dest[1] = (byte)('0' + value % 10);
    }

    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    /// <summary>Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's civil_from_days).</summary>
    public static void CivilFromDays(long z, out long year, out int month, out int day)
    {
        z += 719_468;
        var era = (z >= 0 ? z : z - 146_096) / 146_097;
        var doe = z - era * 146_097;
        var yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        var y = yoe + era * 400;
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        var mp = (5 * doy + 2) / 153;
        day = (int)(doy - (153 * mp + 2) / 5 + 1);
        month = (int)(mp < 10 ? mp + 3 : mp - 9);
        year = month <= 2 ? y + 1 : y;
    }
}
