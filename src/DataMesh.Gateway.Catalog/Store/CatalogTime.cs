using System.Globalization;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// Times as the store writes them: <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>, UTC. Parsed by position: general parsing was
/// a large part of reading a million grant rows (four times per row). Anything else (an older or hand-edited
/// catalog) goes through the general parser.
/// </summary>
internal static class CatalogTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Write(DateTimeOffset t) => t.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string s)
    {
        if (s.Length == 27 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == '.' && s[26] == 'Z'
            && Digits(s, 0, 4, out var year) && Digits(s, 5, 2, out var month) && Digits(s, 8, 2, out var day)
            && Digits(s, 11, 2, out var hour) && Digits(s, 14, 2, out var minute) && Digits(s, 17, 2, out var second)
            && Digits(s, 20, 6, out var micros)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && hour < 24 && minute < 60 && second < 60)
        {
            var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + micros * 10L;
            return new DateTimeOffset(ticks, TimeSpan.Zero);
        }
        return DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private static bool Digits(string s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }
}
