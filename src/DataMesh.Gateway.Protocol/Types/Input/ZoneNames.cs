using System.Collections.Frozen;

namespace DataMesh.Gateway.Protocol.Types.Input;

/// <summary>
/// Time zones in date/time input: the common abbreviations of PostgreSQL's "Default" abbreviation set (fixed offsets),
/// and full IANA names (America/New_York, Europe/Berlin, EST5EDT), whose offset depends on the date and time given.
/// </summary>
internal static class ZoneNames
{
    private const int Hour = 3600;

    private static readonly FrozenDictionary<string, int> Abbreviations = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["z"] = 0, ["zulu"] = 0, ["utc"] = 0, ["ut"] = 0, ["gmt"] = 0, ["wet"] = 0, ["west"] = Hour, ["bst"] = Hour,
        ["cet"] = Hour, ["cest"] = 2 * Hour, ["met"] = Hour, ["mest"] = 2 * Hour, ["eet"] = 2 * Hour, ["eest"] = 3 * Hour,
        ["msk"] = 3 * Hour, ["ist"] = 2 * Hour, ["est"] = -5 * Hour, ["edt"] = -4 * Hour, ["cst"] = -6 * Hour, ["cdt"] = -5 * Hour,
        ["mst"] = -7 * Hour, ["mdt"] = -6 * Hour, ["pst"] = -8 * Hour, ["pdt"] = -7 * Hour, ["akst"] = -9 * Hour, ["akdt"] = -8 * Hour,
        ["hst"] = -10 * Hour, ["ast"] = -4 * Hour, ["adt"] = -3 * Hour, ["nst"] = -(3 * Hour + 1800), ["ndt"] = -(2 * Hour + 1800),
        ["jst"] = 9 * Hour, ["kst"] = 9 * Hour, ["hkt"] = 8 * Hour, ["sgt"] = 8 * Hour, ["awst"] = 8 * Hour,
        ["acst"] = 9 * Hour + 1800, ["acdt"] = 10 * Hour + 1800, ["aest"] = 10 * Hour, ["aedt"] = 11 * Hour,
        ["nzst"] = 12 * Hour, ["nzdt"] = 13 * Hour,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The fixed offset (seconds east of UTC) of an abbreviation, or null.</summary>
    public static int? Abbreviation(string word) => Abbreviations.TryGetValue(word, out var offset) ? offset : null;

    /// <summary>A full zone name (looked up ignoring case, as PostgreSQL does), or null.</summary>
    public static TimeZoneInfo? Zone(string name)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone)) return zone;
        foreach (var z in TimeZoneInfo.GetSystemTimeZones())
            if (z.Id.Equals(name, StringComparison.OrdinalIgnoreCase)) return z;
        return null;
    }
}
