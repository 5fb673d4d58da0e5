using System.Globalization;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>How admin results print values: ISO timestamps in UTC, lists comma-separated.</summary>
internal static class Format
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'+00'", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? t) => t is { } v ? Time(v) : null;

    public static string List(IEnumerable<string>? items) => items is null ? "" : string.Join(", ", items);

    public static string Pairs(IReadOnlyDictionary<string, string> pairs) => string.Join(", ", pairs.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"));
}
