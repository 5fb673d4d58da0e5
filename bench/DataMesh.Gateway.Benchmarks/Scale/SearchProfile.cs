using System.Diagnostics;
using System.Globalization;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Benchmarks.Compare;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Benchmarks.Scale;

/// <summary>
/// <c>search-profile --data-dir DIR [--assets N]</c>: SEARCH CATALOG's ranking in process on a seeded catalog, the
/// in-memory corpus and FTS5 side by side on the same searches (the harness's words), interleaved search by search: the
/// corpus's build time and managed memory, each path's p50/p95, and whether both gave the same hits and scores.
/// </summary>
public static class SearchProfile
{
    public static async Task<int> Run(string[] args)
    {
        string? dir = null;
        var assets = 100_000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data-dir": dir = Path.GetFullPath(args[i + 1]); break;
                case "--assets": assets = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException("usage: search-profile --data-dir DIR [--assets N]");
            }
        }
        if (dir is null) throw new ArgumentException("usage: search-profile --data-dir DIR [--assets N]");
        using var store = SqliteCatalogStore.Open(AdminCatalog.CatalogPath(dir));
        var before = GC.GetTotalMemory(true);
        var rssBefore = Environment.WorkingSet;
        var sw = Stopwatch.StartNew();
        await store.PrepareSearch().ConfigureAwait(false);
        var rssAfter = Environment.WorkingSet;
        Console.WriteLine($"corpus built in {sw.ElapsedMilliseconds} ms; managed memory +{(GC.GetTotalMemory(true) - before) / (1024 * 1024)} MB; " +
                          $"working set +{(rssAfter - rssBefore) / (1024 * 1024)} MB (peak {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB)");

        string[] words = ["revenue", "churn", "campaign", "inventory", "shipment", "invoice", "forecast", "supplier", "customer", "ledger"];
        var scope = SearchScope.Published([]);
        var (memory, fts5) = (new Samples(), new Samples());
        var differ = 0;
        for (var i = 0; i < 205; i++)
        {
            var text = $"{words[i % words.Length]} {i * 7919 % assets}";
            var t = Stopwatch.GetTimestamp();
            var a = store.Read(r => r.SearchAssets(text, 200, scope)).Select(h => (h.Asset.Id, h.Score)).ToList();
            var inMemory = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            t = Stopwatch.GetTimestamp();
            var b = store.Read(r => ((SqliteCatalogSession)r).SearchInFts5(SqliteCatalogSession.ToFtsQuery(text), 200, scope)).Select(h => (h.Asset.Id, h.Score)).ToList();
            var inFts5 = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            if (!a.SequenceEqual(b)) differ++;
            if (i < 5) continue; // warm-up
            memory.Add(inMemory);
            fts5.Add(inFts5);
        }
        var counters = store.SearchCounters;
        Console.WriteLine($"in memory: p50 {memory.P50:F2} ms, p95 {memory.P95:F2} ms; FTS5: p50 {fts5.P50:F2} ms, p95 {fts5.P95:F2} ms; " +
                          $"ratio of medians {fts5.P50 / memory.P50:F1}x; searches whose answers differ: {differ}; corpus answered {counters.Ranked}, FTS5 fallback {counters.FellBack}");
        return differ == 0 ? 0 : 1;
    }
}
