using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Policy.Grants;

namespace DataMesh.Gateway.Tests.Catalog;

/// <summary>
/// A consumer's first grant set reads its granted assets by key, not their owners' partitions (a 100-grant project
/// read ~10,000 assets that way at 100k assets), and is the same grant set a fully loaded snapshot gives.
/// </summary>
public sealed class GrantSetLoadingTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "grantset-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteCatalogStore _store;

    public GrantSetLoadingTests()
    {
        _store = SqliteCatalogStore.Open(Path.Combine(_dir, "catalog.db"));
        _store.Write(w =>
        {
            w.InsertUser(new UserRecord("owner", null, false, "local", Now));
            w.InsertAccount(new AccountRecord("acct", "/data/acct", "owner", AccountStatus.Proposed, "owner", Now, null));
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            foreach (var project in new[] { "p1", "p2", "p3", "consumer" })
                w.InsertProject(new ProjectRecord(project, "acct", "p", null, new Dictionary<string, string>(), [new MemberRecord("owner", false, MemberRole.Owner)], "owner", Now));
            foreach (var project in new[] { "p1", "p2", "p3" })
                for (var i = 0; i < 20; i++)
                {
                    var id = w.InsertAsset(new AssetRecord(0, project, $"a{i}", "x", $"/data/acct/{project}/a{i}.parquet", null, [], new Dictionary<string, string>(),
                        new Dictionary<string, string>(), [new ColumnRecord("id", "BIGINT"), new ColumnRecord("secret", "VARCHAR")], false, null, "owner", Now));
                    w.UpdateAsset(w.GetAsset(id)! with { Published = i != 9, LatestRevision = 1 });
                    if (i % 3 != 0) continue; // a grant to every third asset (a9, unpublished, is granted but shows nothing)
                    var request = new SubscriptionRecord(0, id, project, $"a{i}", "consumer", "because", SubscriptionStatus.Approved, "owner", Now, "owner", Now,
                        null, i == 3 ? "id > 10" : null, null, i == 6 ? ["secret"] : null, [], null) { ApprovedColumns = ["id", "secret"], ApprovedRevision = 1 };
                    w.UpdateSubscription(request with { Id = w.InsertSubscription(request) }); // inserted pending, then decided
                }
            return 0;
        });
    }

    private static string Describe(GrantSet grants, IEnumerable<(string, string)> keys) => string.Join("\n", keys.Select(k => grants.Find(k.Item1, k.Item2) is { } g
        ? $"{g.Project}.{g.Asset} {g.SourcePath} [{string.Join(",", g.Columns.Select(c => c.Name))}] {g.QualifiedRowFilter} {string.Join(",", g.SubscriptionIds)}"
        : $"{k.Item1}.{k.Item2} none"));

    private static string Key(AssetRecord a) => $"{a.Id} {a.QualifiedName} {a.ResolvedPath} {string.Join(",", a.Schema.Select(c => c.Name + ":" + c.Type))}";

    [Fact]
    public void A_first_grant_set_reads_the_granted_assets_by_key_and_no_owner_partition()
    {
        using var parser = new MetadataEngine();
        var keys = new[] { "p1", "p2", "p3" }.SelectMany(p => Enumerable.Range(0, 20).Select(i => (p, $"a{i}"))).ToList();
        var lazy = new CatalogService(_store); // not disposed: it would dispose the store the test shares
        var grants = GrantSet.For(lazy.Snapshot, "consumer", Now, parser.SerializeSelect);
        // The consumer's own partition only (its approved subscriptions); 21 assets by key (7 per producer).
        Assert.Equal(1, lazy.PartitionsLoaded);
        Assert.Equal(21, lazy.AssetsLoaded);
        Assert.False(lazy.Snapshot.IsLoaded("p1"));

        var loaded = new CatalogService(_store);
        loaded.Snapshot.Preload(["p1", "p2", "p3", "consumer"]);
        var reference = GrantSet.For(loaded.Snapshot, "consumer", Now, parser.SerializeSelect);
        Assert.Equal(0, loaded.AssetsLoaded);
        Assert.Equal(Describe(reference, keys), Describe(grants, keys));
        // The probe: the grants are really there, filtered and with columns hidden as approved.
        Assert.Equal(18, keys.Count(k => grants.Find(k.Item1, k.Item2) is not null));
        Assert.Null(grants.Find("p1", "a9"));
        Assert.Equal(["id"], grants.Find("p2", "a6")!.Columns.Select(c => c.Name));
        Assert.NotNull(grants.Find("p3", "a3")!.QualifiedRowFilter);
        // The engine spec takes the granted assets' records from the grant set: still no owner partition read.
        Assert.All(grants.All, g => Assert.Equal(Key(reference.AssetOf(g.Project, g.Asset)!), Key(grants.AssetOf(g.Project, g.Asset)!)));
        Assert.Equal(1, lazy.PartitionsLoaded);
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
