using System.Text.Json;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>
/// Whether a cast between two DuckDB types (json_serialize_plan's LogicalType objects) can fail for some value. Only
/// casts that cannot fail for any value are recognised: to the same type, from NULL, integer and decimal widening,
/// to DOUBLE from any number, to VARCHAR from anything but BLOB (bytes that are not UTF-8). Everything else counts as
/// fallible and is evaluated, which is always correct, only slower.
/// </summary>
public static class CastSafety
{
    private static readonly string[] Signed = ["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"];
    private static readonly string[] Unsigned = ["UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"];

    /// <summary>Decimal digits an integer type needs (for a cast to DECIMAL(w, s): w - s must hold them).</summary>
    private static readonly Dictionary<string, int> IntegerDigits = new(StringComparer.Ordinal)
    {
        ["TINYINT"] = 3, ["SMALLINT"] = 5, ["INTEGER"] = 10, ["BIGINT"] = 19, ["HUGEINT"] = 39,
        ["UTINYINT"] = 3, ["USMALLINT"] = 5, ["UINTEGER"] = 10, ["UBIGINT"] = 20, ["UHUGEINT"] = 39,
    };

    public static bool CanFail(JsonElement? source, JsonElement target)
    {
        if (source is not { } from || Id(from) is not { } s || Id(target) is not { } t) return true;
        if (s == "NULL" || JsonElement.DeepEquals(from, target)) return false;
        if (t == "VARCHAR" && !Has(target, "type_info")) return s is "BLOB";
        if (t == "DOUBLE") return !(IntegerDigits.ContainsKey(s) || s is "FLOAT" or "DECIMAL");
        if (t == "FLOAT") return !IntegerDigits.ContainsKey(s);
        if (Widens(Signed, s, t) || Widens(Unsigned, s, t)) return false;
        var unsigned = Array.IndexOf(Unsigned, s);
        if (unsigned >= 0 && unsigned < Signed.Length - 1 && Array.IndexOf(Signed, t) > unsigned) return false;
        if (t == "DECIMAL" && Decimal(target) is var (width, scale))
        {
            if (IntegerDigits.TryGetValue(s, out var digits)) return width - scale < digits;
            if (s == "DECIMAL" && Decimal(from) is var (w, sc)) return !(scale >= sc && width - scale >= w - sc);
        }
        return true;
    }

    private static bool Widens(string[] ladder, string from, string to)
    {
        var i = Array.IndexOf(ladder, from);
        return i >= 0 && Array.IndexOf(ladder, to) > i;
    }

    private static string? Id(JsonElement type) =>
        type.ValueKind == JsonValueKind.Object && type.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    private static bool Has(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);

    private static (int Width, int Scale)? Decimal(JsonElement type) =>
        type.TryGetProperty("type_info", out var info) && info.ValueKind == JsonValueKind.Object
        && info.TryGetProperty("width", out var w) && info.TryGetProperty("scale", out var s)
        && w.TryGetInt32(out var width) && s.TryGetInt32(out var scale) ? (width, scale) : null;
}
