using System.Collections.Frozen;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Startup;

/// <summary>
/// The values the gateway accepts for the PostgreSQL settings it answers itself, spelled as PostgreSQL 15 accepts them
/// (checked against a real server, see <c>Integration/StartupParameterTests</c>), and refused with PostgreSQL's
/// SQLSTATE and wording: a value PostgreSQL does not know is 22023 "invalid value for parameter"; a value PostgreSQL
/// knows but the gateway cannot honour (another encoding, time zone or output style) is 0A000 with the same message
/// and a detail saying why, as PostgreSQL answers an encoding it cannot convert to. Used by SET and at startup; the
/// other settings' rules are Sessions/Settings (GatewaySettingRules, DateStyleSetting, TimeZoneSetting).
/// </summary>
internal static class ParameterValues
{
    /// <summary>PostgreSQL's encoding names and aliases after its own clean-up (letters and digits only, lower case).</summary>
    private static readonly FrozenDictionary<string, string> Encodings = new Dictionary<string, string>
    {
        ["abc"] = "WIN1258", ["alt"] = "WIN866", ["big5"] = "BIG5", ["euccn"] = "EUC_CN", ["eucjis2004"] = "EUC_JIS_2004",
        ["eucjp"] = "EUC_JP", ["euckr"] = "EUC_KR", ["euctw"] = "EUC_TW", ["gb18030"] = "GB18030", ["gbk"] = "GBK",
        ["iso88591"] = "LATIN1", ["iso885910"] = "LATIN6", ["iso885913"] = "LATIN7", ["iso885914"] = "LATIN8",
        ["iso885915"] = "LATIN9", ["iso885916"] = "LATIN10", ["iso88592"] = "LATIN2", ["iso88593"] = "LATIN3",
        ["iso88594"] = "LATIN4", ["iso88595"] = "ISO_8859_5", ["iso88596"] = "ISO_8859_6", ["iso88597"] = "ISO_8859_7",
        ["iso88598"] = "ISO_8859_8", ["iso88599"] = "LATIN5", ["johab"] = "JOHAB", ["koi8"] = "KOI8R", ["koi8r"] = "KOI8R",
        ["koi8u"] = "KOI8U", ["latin1"] = "LATIN1", ["latin2"] = "LATIN2", ["latin3"] = "LATIN3", ["latin4"] = "LATIN4",
        ["latin5"] = "LATIN5", ["latin6"] = "LATIN6", ["latin7"] = "LATIN7", ["latin8"] = "LATIN8", ["latin9"] = "LATIN9",
        ["latin10"] = "LATIN10", ["mskanji"] = "SJIS", ["muleinternal"] = "MULE_INTERNAL", ["shiftjis"] = "SJIS",
        ["shiftjis2004"] = "SHIFT_JIS_2004", ["sjis"] = "SJIS", ["sqlascii"] = "SQL_ASCII", ["tcvn"] = "WIN1258",
        ["tcvn5712"] = "WIN1258", ["uhc"] = "UHC", ["unicode"] = "UTF8", ["utf8"] = "UTF8", ["vscii"] = "WIN1258",
        ["win"] = "WIN1251", ["win866"] = "WIN866", ["win874"] = "WIN874", ["win932"] = "SJIS", ["win936"] = "GBK",
        ["win949"] = "UHC", ["win950"] = "BIG5", ["win1250"] = "WIN1250", ["win1251"] = "WIN1251", ["win1252"] = "WIN1252",
        ["win1253"] = "WIN1253", ["win1254"] = "WIN1254", ["win1255"] = "WIN1255", ["win1256"] = "WIN1256",
        ["win1257"] = "WIN1257", ["win1258"] = "WIN1258", ["windows866"] = "WIN866", ["windows874"] = "WIN874",
        ["windows932"] = "SJIS", ["windows936"] = "GBK", ["windows949"] = "UHC", ["windows950"] = "BIG5",
        ["windows1250"] = "WIN1250", ["windows1251"] = "WIN1251", ["windows1252"] = "WIN1252", ["windows1253"] = "WIN1253",
        ["windows1254"] = "WIN1254", ["windows1255"] = "WIN1255", ["windows1256"] = "WIN1256", ["windows1257"] = "WIN1257",
        ["windows1258"] = "WIN1258",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The encoding a client_encoding value names, as PostgreSQL reads it: every character but letters and digits is
    /// dropped and case is ignored, so <c>'utf-8'</c> (asyncpg sends the quotes), <c>UTF_8</c> and <c>unicode</c> all
    /// name UTF8. Null: PostgreSQL knows no such encoding.
    /// </summary>
    public static string? EncodingOf(string value)
    {
        Span<char> clean = stackalloc char[Math.Min(value.Length, 64)];
        var n = 0;
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c)) continue;
            if (n == clean.Length) return null; // longer than any encoding name
            clean[n++] = char.ToLowerInvariant(c);
        }
        return Encodings.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(clean[..n], out var name) ? name : null;
    }

    /// <summary>
    /// SET client_encoding: UTF8 under any of PostgreSQL's spellings, or SQL_ASCII, which PostgreSQL accepts whatever
    /// the server's encoding because it converts nothing (the client gets the UTF-8 bytes as they are); any other
    /// encoding cannot be converted to.
    /// </summary>
    public static string ClientEncoding(string value) => EncodingOf(value) switch
    {
        "UTF8" => "UTF8",
        "SQL_ASCII" => "SQL_ASCII",
        null => throw Invalid("client_encoding", value),
        var other => throw Unsupported("client_encoding", value, $"Conversion between {other} and UTF8 is not supported."),
    };

    public static string InvalidMessage(string name, string value) => $"invalid value for parameter \"{name}\": \"{value}\"";

    private static PgErrorException Invalid(string name, string value) => new(SqlState.InvalidParameterValue, InvalidMessage(name, value));

    private static PgErrorException Unsupported(string name, string value, string detail) =>
        new(SqlState.FeatureNotSupported, InvalidMessage(name, value), detail: detail);
}
