namespace DataMesh.Gateway.Protocol.Types.Input;

/// <summary>What a field of a date/time input string looks like, as PostgreSQL's ParseDateTime classifies them.</summary>
internal enum DateTimeTokenKind
{
    /// <summary>Digits, perhaps with one decimal point: a day, a year, 8-digit YYYYMMDD or 6-digit HHMMSS.</summary>
    Number,

    /// <summary>Parts joined by '-', '/' or '.': <c>2024-01-02</c>, <c>01/02/2024</c>, <c>02-Jan-2024</c>.</summary>
    Date,

    /// <summary>A clock: <c>12:34:56.789</c>.</summary>
    Time,

    /// <summary>A signed numeric zone: <c>+05:30</c>, <c>-08</c>, <c>+0530</c>.</summary>
    Offset,

    /// <summary>Letters: a month or day name, AM/PM, BC/AD, a zone abbreviation or name (<c>America/New_York</c>).</summary>
    Word,
}

internal readonly record struct DateTimeToken(DateTimeTokenKind Kind, string Text);

/// <summary>Splits date/time input into fields: whitespace and commas separate them, and a 'T' between a date and a clock.</summary>
internal static class DateTimeTokens
{
    public static List<DateTimeToken>? Split(string s)
    {
        var tokens = new List<DateTimeToken>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c) || c == ',')
            {
                i++;
                continue;
            }
            var start = i;
            if (char.IsAsciiDigit(c))
            {
                while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
                if (i < s.Length && s[i] == ':')
                {
                    while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] is ':' or '.')) i++;
                    tokens.Add(new(DateTimeTokenKind.Time, s[start..i]));
                }
                else if (i + 1 < s.Length && s[i] is '-' or '/' or '.' && char.IsAsciiLetterOrDigit(s[i + 1]) && IsDate(s, i))
                {
                    while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '-' or '/' or '.') && !IsTimeSeparator(s, i)) i++;
                    tokens.Add(new(DateTimeTokenKind.Date, s[start..i]));
                }
                else
                {
                    if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
                    {
                        i++;
                        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
                    }
                    tokens.Add(new(DateTimeTokenKind.Number, s[start..i]));
                }
                if (IsTimeSeparator(s, i)) i++; // the ISO 'T' before a clock
            }
            else if (char.IsAsciiLetter(c))
            {
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '/' or '_' or '.' || (s[i] is '+' or '-' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]) && s[start..i].Contains('/'))))
                    i++;
                tokens.Add(new(DateTimeTokenKind.Word, s[start..i]));
            }
            else if (c is '+' or '-' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]))
            {
                i++;
                while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == ':')) i++;
                tokens.Add(new(DateTimeTokenKind.Offset, s[start..i]));
            }
            else
            {
                return null;
            }
        }
        return tokens;
    }

    /// <summary>A '.'-joined run is a date only with three parts (<c>01.02.2024</c>); <c>123456.789</c> is a number.</summary>
    private static bool IsDate(string s, int separator)
    {
        if (s[separator] != '.') return true;
        var end = separator;
        var dots = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.'))
        {
            if (s[end] == '.') dots++;
            end++;
        }
        return dots >= 2;
    }

    private static bool IsTimeSeparator(string s, int i) =>
        i + 1 < s.Length && i > 0 && s[i] is 'T' or 't' && char.IsAsciiDigit(s[i + 1]) && char.IsAsciiDigit(s[i - 1]);
}
