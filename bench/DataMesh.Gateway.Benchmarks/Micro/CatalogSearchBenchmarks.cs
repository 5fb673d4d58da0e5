using BenchmarkDotNet.Attributes;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Benchmarks.Micro;

/// <summary>
/// What ranking only over what the caller may see costs (issue 14, item 6), side by side on one catalog of
/// <see cref="Published"/> published assets and <see cref="Inventory"/> unpublished ones in one project: the
/// all-assets index (a domain admin's scope; every search's before), the published index (a consumer), and the
/// published index plus the in-memory index of the caller's project's inventory (a member of that project).
/// </summary>
[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class CatalogSearchBenchmarks
{
    private const int Published = 20_000, Inventory = 200;
    private static readonly string[] Words = ["revenue", "churn", "campaign", "inventory", "shipment", "invoice", "forecast", "supplier", "customer", "ledger"];
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-bench-search-" + Guid.NewGuid().ToString("N"));
    private SqliteCatalogStore _store = null!;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        _store = SqliteCatalogStore.Open(Path.Combine(_dir, "catalog.db"));
        _store.Write(w =>
        {
            w.InsertUser(new UserRecord("owner", null, false, "local", Now));
            w.InsertAccount(new AccountRecord("acct", "/data/acct", "owner", AccountStatus.Proposed, "owner", Now, null));
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            foreach (var project in new[] { "producers", "team" })
                w.InsertProject(new ProjectRecord(project, "acct", "p", null, new Dictionary<string, string>(), [], "owner", Now));
            for (var i = 0; i < Published + Inventory; i++)
            {
                var published = i < Published;
                var id = w.InsertAsset(new AssetRecord(0, published ? "producers" : "team", $"a_{i:D6}", "x", "/data/acct/x",
                    $"asset {i} about {Words[i % Words.Length]} and {Words[(i * 7) % Words.Length]}{(published ? " catalogued" : "")}", [], new Dictionary<string, string>(),
                    new Dictionary<string, string>(), [new ColumnRecord("region", "VARCHAR"), new ColumnRecord("amount", "DECIMAL(12,2)")],
                    false, null, "owner", Now));
                if (published) w.UpdateAsset(w.GetAsset(id)! with { Published = true, LatestRevision = 1 });
            }
            return 0;
        });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A common word (it matches inventory assets too) and a number, as the catalog-scale harness searches.</summary>
    private int Search(SearchScope scope)
    {
        var text = $"{Words[_i++ % Words.Length]} {_i * 7919 % Published}";
        return _store.Read(r => r.SearchAssets(text, 200, scope)).Count;
    }

    [Benchmark(Baseline = true)]
    public int AllAssetsIndex() => Search(SearchScope.All);

    [Benchmark]
    public int PublishedIndex() => Search(SearchScope.Published([]));

    /// <summary>A member whose project's inventory matches the search: its 200 assets are indexed in memory.</summary>
    [Benchmark]
    public int PublishedPlusOwnInventory() => Search(SearchScope.Published(["team"]));

    /// <summary>A member whose inventory does not match the search: the corpus is built all the same (its size is the cost).</summary>
    [Benchmark]
    public int PublishedPlusOwnInventoryNoMatch() =>
        _store.Read(r => r.SearchAssets($"catalogued {_i++ * 7919 % Published}", 200, SearchScope.Published(["team"]))).Count;
}
