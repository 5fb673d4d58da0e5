using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Tests.Catalog;

/// <summary>
/// SEARCH CATALOG ranked in memory (SearchCorpus, SearchRanking) against FTS5 ranking the same words in the same
/// catalog: the same assets in the same order with the same scores to the last bit, in every scope, with ties (identical
/// documents) cut at the limit, prefixes that match many terms, words FTS5 folds (case, diacritics), and after every
/// kind of change the corpus follows from the change log.
/// </summary>
public sealed class SearchCorpusTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Vocabulary =
    [
        "revenue", "Revenue", "revenues", "orders", "ordering", "churn", "Café", "cafe", "résumé", "RÉSUMÉ", "naïve", "region", "regional",
        "sales", "shipment", "42", "4217", "straße", "ÅNGSTRÖM", "invoice", "in_voice", "ledger", "forecast", "q3",
    ];

    private static readonly string[] Searches =
    [
        "revenue", "rev", "r", "REVENUE orders", "cafe", "café", "Résumé", "resume", "naive", "42", "4", "ledger forecast invoice",
        "angstrom", "strasse", "straße", "zzz", "orders orders", "re or ch", "q3 region", "sales_region", "in voice",
    ];

    private static readonly SearchScope[] Scopes =
        [SearchScope.All, SearchScope.Published([]), SearchScope.Published(["sales"]), SearchScope.Published(["sales", "labs"]), SearchScope.Published(["nobody"])];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "corpus-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteCatalogStore _store;
    private readonly Random _random = new(19);

    public SearchCorpusTests()
    {
        _store = SqliteCatalogStore.Open(Path.Combine(_dir, "catalog.db"));
        _store.Write(w =>
        {
            w.InsertUser(new UserRecord("owner", null, false, "local", Now));
            w.InsertAccount(new AccountRecord("acct", "/data/acct", "owner", AccountStatus.Proposed, "owner", Now, null));
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            foreach (var project in new[] { "sales", "labs", "ops" })
                w.InsertProject(new ProjectRecord(project, "acct", "p", null, new Dictionary<string, string>(), [], "owner", Now));
            for (var i = 0; i < 240; i++) InsertRandom(w, i);
            // Identical documents but for the name: ties that the limit cuts.
            for (var i = 0; i < 30; i++) Insert(w, "ops", $"twin_{i:D2}", "revenue orders twin", ["region"], published: true);
            return 0;
        });
    }

    private void InsertRandom(ICatalogWriter w, int i)
    {
        var project = new[] { "sales", "labs", "ops" }[i % 3];
        var columns = Enumerable.Range(0, _random.Next(1, 5)).Select(_ => Word().Replace('é', 'e').ToLowerInvariant() + "_" + _random.Next(10)).Distinct().ToList();
        Insert(w, project, $"a_{i:D3}_{Word()}", string.Join(' ', Enumerable.Range(0, _random.Next(0, 12)).Select(_ => Word())), columns, published: _random.Next(4) != 0);
    }

    private string Word() => Vocabulary[_random.Next(Vocabulary.Length)];

    private static long Insert(ICatalogWriter w, string project, string name, string description, IReadOnlyList<string> columns, bool published)
    {
        var id = w.InsertAsset(new AssetRecord(0, project, name, "x", "/data/acct/x", description, [], new Dictionary<string, string> { ["note"] = description.Length % 2 == 0 ? "even" : "odd revenue" },
            new Dictionary<string, string>(), columns.Select(c => new ColumnRecord(c, "VARCHAR")).ToList(), false, null, "owner", Now));
        if (published) w.UpdateAsset(w.GetAsset(id)! with { Published = true, LatestRevision = 1 });
        return id;
    }

    private static List<(long, double)> Ids(IReadOnlyList<(AssetRecord Asset, double Score)> hits) => hits.Select(h => (h.Asset.Id, h.Score)).ToList();

    /// <summary>Every search in every scope, at two limits: the corpus's answer equals FTS5's, and the corpus gave it.</summary>
    private void AssertSameAsFts5()
    {
        var before = _store.SearchCounters;
        var compared = 0;
        foreach (var text in Searches)
            foreach (var scope in Scopes)
                foreach (var limit in new[] { 200, 7 })
                {
                    var (memory, fts5) = _store.Read(r => (Ids(r.SearchAssets(text, limit, scope)),
                        Ids(((SqliteCatalogSession)r).SearchInFts5(SqliteCatalogSession.ToFtsQuery(text), limit, scope))));
                    var differ = Enumerable.Range(0, Math.Max(fts5.Count, memory.Count)).FirstOrDefault(i => i >= fts5.Count || i >= memory.Count || fts5[i] != memory[i], -1);
                    if (differ >= 0)
                        Assert.Fail($"'{text}' in {Describe(scope)}, limit {limit}: hit {differ} differs (FTS5 {fts5.Count} hits, " +
                            $"{(differ < fts5.Count ? fts5[differ].ToString() : "none")}; memory {memory.Count} hits, {(differ < memory.Count ? memory[differ].ToString() : "none")})");
                    compared += fts5.Count;
                }
        Assert.True(compared > 5000, $"the searches found too little to compare ({compared} hits)");
        // The probe: the corpus (not an FTS5 fallback) answered every one of them.
        var after = _store.SearchCounters;
        Assert.Equal(Searches.Length * Scopes.Length * 2, after.Ranked - before.Ranked);
        Assert.Equal(before.FellBack, after.FellBack);
    }

    private static string Describe(SearchScope scope) => scope.Everything ? "everything" : "published + [" + string.Join(",", scope.InventoryProjects) + "]";

    [Fact]
    public async Task The_corpus_ranks_every_search_exactly_as_FTS5_does()
    {
        await _store.PrepareSearch();
        AssertSameAsFts5();
        // A limit that cuts through 30 tied documents keeps FTS5's choice: the lowest asset ids.
        var twins = _store.Read(r => r.SearchAssets("twin", 5, SearchScope.Published([])));
        Assert.Equal(["twin_00", "twin_01", "twin_02", "twin_03", "twin_04"], twins.Select(h => h.Asset.Name));
        Assert.Single(twins.Select(h => h.Score).Distinct());
    }

    [Fact]
    public async Task After_every_kind_of_change_the_corpus_follows_the_change_log_and_still_ranks_as_FTS5_does()
    {
        await _store.PrepareSearch();
        var ids = _store.Read(r => r.Assets().Select(a => a.Id).ToList());
        for (var round = 0; round < 6; round++)
        {
            _store.Write(w =>
            {
                for (var i = 0; i < 8; i++) InsertRandom(w, 1000 + round * 10 + i);
                var changed = w.GetAsset(ids[_random.Next(ids.Count)])!;
                w.UpdateAsset(changed with { Description = "revenue " + Word() + " " + Word(), Published = !changed.Published });
                return 0;
            });
            AssertSameAsFts5();
        }
        var builds = _store.SearchCounters.Builds;

        // A drop is a bulk change in the log: the corpus is built again, FTS5 answers meanwhile.
        _store.Write(w =>
        {
            w.DeleteAsset(ids[0]);
            return 0;
        });
        var during = _store.Read(r => Ids(r.SearchAssets("revenue", 200, SearchScope.All)));
        Assert.DoesNotContain(during, h => h.Item1 == ids[0]);
        await _store.PrepareSearch();
        Assert.Equal(builds + 1, _store.SearchCounters.Builds);
        AssertSameAsFts5();
    }

    [Fact]
    public async Task A_write_transaction_searches_its_own_uncommitted_assets_through_FTS5()
    {
        await _store.PrepareSearch();
        var found = _store.Rehearse(w =>
        {
            Insert(w, "sales", "brand_new", "xylophone", ["region"], published: true);
            return w.SearchAssets("xylophone", 200, SearchScope.All).Select(h => h.Asset.Name).ToList();
        });
        Assert.Equal(["brand_new"], found);
        Assert.Empty(_store.Read(r => r.SearchAssets("xylophone", 200, SearchScope.All)));
    }

    public void Dispose()
    {
        _store.Dispose();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
