using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace DataMesh.Gateway.Soak;

/// <summary>Latencies per operation kind and errors by class (SQLSTATE, or the client exception's type).</summary>
public sealed class SoakStats
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new();
    private readonly ConcurrentDictionary<(string Kind, string Class), long> _errors = new();
    private readonly ConcurrentDictionary<string, string> _errorExamples = new();

    /// <summary>Error classes a kind may meet by design: a consumer between a revocation and the next approval has
    /// no grant (42501 refused, 42P01 the asset is not visible), and a portal whose grant is revoked mid-stream is
    /// closed with 42501.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Expected = new Dictionary<string, string[]>
    {
        ["consumer"] = ["42501", "42P01"],
        ["consumer-stream"] = ["42501", "42P01"],
        ["consumer-connect"] = ["42501", "42P01"],
        ["admin"] = [],
        ["metadata"] = [],
    };

    public void Ok(string kind, long startTimestamp) =>
        _latencies.GetOrAdd(kind, _ => []).Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    public void Error(string kind, Exception e)
    {
        var cls = e is PostgresException pg ? pg.SqlState : e.GetType().Name;
        _errors.AddOrUpdate((kind, cls), 1, (_, n) => n + 1);
        _errorExamples.TryAdd($"{kind}/{cls}", e.Message);
    }

    public IEnumerable<(string Kind, int Count, double P50, double P99)> Latencies() =>
        _latencies.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k =>
        {
            var sorted = k.Value.ToArray();
            Array.Sort(sorted);
            return (k.Key, sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.99));
        });

    public (int Count, double P50, double P99) Overall()
    {
        var all = _latencies.Values.SelectMany(v => v).ToArray();
        Array.Sort(all);
        return (all.Length, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    public IEnumerable<(string Kind, string Class, long Count, bool Expected, string Example)> Errors() =>
        _errors.OrderBy(e => e.Key.Kind, StringComparer.Ordinal).ThenBy(e => e.Key.Class, StringComparer.Ordinal)
            .Select(e => (e.Key.Kind, e.Key.Class, e.Value, Expected.TryGetValue(e.Key.Kind, out var ok) && ok.Contains(e.Key.Class),
                _errorExamples.GetValueOrDefault($"{e.Key.Kind}/{e.Key.Class}") ?? ""));

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
