using System.Collections.Concurrent;
using System.Text.Json;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// Sharing of repeated values between the records the store reads. With 100,000 assets and 1,000,000 grants the same
/// project and asset names, column lists and masks recur in every grant row: read naively, each row held its own
/// copies (the 1.4 GB snapshot of bench/RESULTS.md). Names are pooled; JSON columns are parsed once per distinct
/// text. Both pools are bounded: past the bound values are still returned, just not shared, so memory stays bounded
/// whatever the catalog holds. The parsed values are shared between records and must never be mutated.
/// </summary>
internal static class CatalogInterning
{
    public const int MaxNames = 1_000_000;
    public const int MaxJsonTexts = 200_000;
    // Free texts (an approval's comment) repeat when approvers reuse one wording (1,000,000 seeded grants held 1,000,000
    // copies of one comment, ~130 MB); unique ones would fill a pool for nothing, so it is small and kept apart from Names.
    public const int MaxTexts = 50_000;
    // Long texts are rarely repeated (descriptions, an asset's objects list): parsing them again is cheaper than keeping them.
    private const int MaxJsonLength = 4096;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(Type, string), object> Parsed = new();
    private static readonly ConcurrentDictionary<string, string> Texts = new(StringComparer.Ordinal);

    public static string Name(string value)
    {
        if (Names.TryGetValue(value, out var pooled)) return pooled;
        if (Names.Count >= MaxNames) return value;
        return Names.GetOrAdd(value, value);
    }

    /// <summary>A free text shared with earlier equal texts while the pool has room (null stays null).</summary>
    public static string? Text(string? value)
    {
        if (value is null) return null;
        if (Texts.TryGetValue(value, out var pooled)) return pooled;
        if (Texts.Count >= MaxTexts) return value;
        return Texts.GetOrAdd(value, value);
    }

    public static T Json<T>(string json, JsonSerializerOptions options) where T : class
    {
        if (json.Length > MaxJsonLength) return JsonSerializer.Deserialize<T>(json, options)!;
        var key = (typeof(T), json);
        if (Parsed.TryGetValue(key, out var value)) return (T)value;
        var parsed = JsonSerializer.Deserialize<T>(json, options)!;
        if (Parsed.Count >= MaxJsonTexts) return parsed;
        return (T)Parsed.GetOrAdd(key, parsed);
    }
}
