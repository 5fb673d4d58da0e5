using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Tests.Catalog;

/// <summary>
/// What keeps a large snapshot small (bench/NOTES.md, "Idle memory at 100k assets / 1M grants"): an approval comment
/// repeated across grants is one string in memory, and a completed background load compacts the heap once.
/// </summary>
public sealed class SnapshotMemoryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "snapmem-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteCatalogStore _store;

    public SnapshotMemoryTests()
    {
        _store = SqliteCatalogStore.Open(Path.Combine(_dir, "catalog.db"));
        _store.Write(w =>
        {
            w.InsertUser(new UserRecord("owner", null, false, "local", Now));
            w.InsertAccount(new AccountRecord("acct", "/data/acct", "owner", AccountStatus.Proposed, "owner", Now, null));
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            foreach (var project in new[] { "producer", "consumer" })
                w.InsertProject(new ProjectRecord(project, "acct", "p", null, new Dictionary<string, string>(), [new MemberRecord("owner", false, MemberRole.Owner)], "owner", Now));
            for (var i = 0; i < 3; i++)
            {
                var id = w.InsertAsset(new AssetRecord(0, "producer", $"a{i}", "x", $"/data/acct/producer/a{i}.parquet", null, [], new Dictionary<string, string>(),
                    new Dictionary<string, string>(), [new ColumnRecord("id", "BIGINT")], false, null, "owner", Now));
                w.UpdateAsset(w.GetAsset(id)! with { Published = true, LatestRevision = 1 });
                // a0 and a1 approved with the same wording (built apart, so equal but not one string), a2 with its own.
                var comment = i < 2 ? new string("rows of Europe only".ToCharArray()) : "a wording of its own";
                var request = new SubscriptionRecord(0, id, "producer", $"a{i}", "consumer", $"request {i}", SubscriptionStatus.Approved, "owner", Now, "owner", Now,
                    comment, null, null, null, [], null) { ApprovedColumns = ["id"], ApprovedRevision = 1 };
                w.UpdateSubscription(request with { Id = w.InsertSubscription(request) });
            }
            return 0;
        });
    }

    [Fact]
    public void Equal_approval_comments_are_one_string_in_the_snapshot_and_others_keep_their_text()
    {
        var catalog = new CatalogService(_store); // not disposed: it would dispose the store the test shares
        var grants = catalog.Snapshot.SubscriptionsOf("consumer").OrderBy(s => s.AssetName).ToList();
        Assert.Equal(["a0", "a1", "a2"], grants.Select(s => s.AssetName));
        Assert.Equal(["rows of Europe only", "rows of Europe only", "a wording of its own"], grants.Select(s => s.Comment));
        Assert.Same(grants[0].Comment, grants[1].Comment);
        Assert.Equal(["request 0", "request 1", "request 2"], grants.Select(s => s.Justification));
    }

    [Fact]
    public async Task A_completed_preload_loads_every_partition_and_then_compacts_the_heap_once()
    {
        var catalog = new CatalogService(_store);
        Assert.Equal(0, catalog.PreloadCompactions);
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;
        await catalog.PreloadAsync(projectsPerRead: 1);
        // A full blocking, compacting collection ran (the concurrent collector's own gen2 collections are background ones).
        var last = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.True(last.Index > before, $"no full blocking collection since #{before}");
        Assert.True(last.Compacted);
        Assert.True(catalog.Snapshot.IsLoaded("producer"));
        Assert.True(catalog.Snapshot.IsLoaded("consumer"));
        Assert.Equal(1, catalog.PreloadCompactions);
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
