using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Sessions.Settings;

/// <summary>
/// DateStyle as PostgreSQL's check_datestyle reads it: an output style (ISO, SQL, Postgres, German) and a field order
/// for ambiguous input (MDY, DMY, YMD), either of which may be left out to keep the current one. The gateway writes
/// dates in ISO only (the engine's own text casts are ISO), so another style is 0A000; the order is honoured by
/// parameter input (<see cref="Protocol.Types.Input.DateTimeInput"/>).
/// </summary>
internal static class DateStyleSetting
{
    public static string Honour(string value, string current)
    {
        string? style = null, order = null;
        var conflict = false;
        // PostgreSQL splits the list as identifiers: empty means no change, a double-quoted word keeps its case, any
        // other is lower-cased (which its "Unrecognized key word" message shows).
        if (value.Trim().Length == 0) return current;
        foreach (var raw in value.Split(','))
        {
            var word = raw.Trim();
            word = word.Length >= 2 && word[0] == '"' && word[^1] == '"' ? word[1..^1] : word.ToLowerInvariant();
            var (newStyle, newOrder) = word.ToUpperInvariant() switch
            {
                "ISO" => ("ISO", null),
                "SQL" => ("SQL", null),
                "POSTGRES" => ("Postgres", null),
                "GERMAN" => ("German", (string?)null),
                "YMD" => (null, "YMD"),
                "DMY" or "EURO" or "EUROPEAN" => (null, "DMY"),
                "MDY" or "US" or "NONEURO" or "NONEUROPEAN" => (null, "MDY"),
                "DEFAULT" => ("ISO", "MDY"),
                _ => throw new PgErrorException(SqlState.InvalidParameterValue, $"invalid value for parameter \"DateStyle\": \"{value}\"",
                    detail: $"Unrecognized key word: \"{word}\"."),
            };
            if (newStyle is not null) { conflict |= style is not null && style != newStyle; style = newStyle; }
            if (newOrder is not null) { conflict |= order is not null && order != newOrder && word.ToUpperInvariant() != "DEFAULT"; order = newOrder; }
        }
        if (conflict)
            throw new PgErrorException(SqlState.InvalidParameterValue, $"invalid value for parameter \"DateStyle\": \"{value}\"",
                detail: "Conflicting \"datestyle\" specifications.");
        var currentParts = current.Split(',', StringSplitOptions.TrimEntries);
        style ??= currentParts[0];
        order ??= style == "German" ? "DMY" : currentParts.Length > 1 ? currentParts[1] : "MDY";
        if (style != "ISO")
            throw new PgErrorException(SqlState.FeatureNotSupported, $"invalid value for parameter \"DateStyle\": \"{value}\"",
                detail: "The gateway writes dates in the ISO style only (with MDY, DMY or YMD order).");
        return $"{style}, {order}";
    }
}
