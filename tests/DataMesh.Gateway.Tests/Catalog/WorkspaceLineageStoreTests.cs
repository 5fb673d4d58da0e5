using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Tests.Catalog;

/// <summary>The workspace lineage table: union and replace, case-insensitive names, and no new catalog version.</summary>
public sealed class WorkspaceLineageStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "lineage-" + Guid.NewGuid().ToString("N"));
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly LineageSource A = new(1, "marketing", "sales", "aaaa");
    private static readonly LineageSource B = new(2, "marketing", "campaigns", "bbbb");
    private static readonly LineageSource C = new(3, "finance", "ledger", "cccc");

    private CatalogService Open()
    {
        var catalog = new CatalogService(SqliteCatalogStore.Open(Path.Combine(_dir, "catalog.db")));
        catalog.Change(w =>
        {
            w.InsertUser(new UserRecord("owner", null, false, "local", Now));
            w.InsertAccount(new AccountRecord("acct", _dir, "owner", AccountStatus.Proposed, "owner", Now, null));
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            w.InsertProject(new ProjectRecord("proj", "acct", "p", null, new Dictionary<string, string>(), [], "owner", Now));
            return 0;
        });
        return catalog;
    }

    [Fact]
    public void Writes_add_to_a_tables_lineage_a_create_replaces_it_and_a_drop_forgets_it()
    {
        using var catalog = Open();
        var store = catalog.Store;
        var version = catalog.Snapshot.Version;
        Assert.Null(store.Lineage("proj", "t"));

        store.RecordLineage("proj", "t", [A], replace: false, Now);
        store.RecordLineage("proj", "T", [A, B], replace: false, Now.AddMinutes(1)); // the same table: DuckDB ignores case
        var lineage = store.Lineage("proj", "t")!;
        Assert.Equal([A, B], lineage.Sources);
        Assert.Equal(Now.AddMinutes(1), lineage.UpdatedAt);

        store.RecordLineage("proj", "t", [C], replace: true, Now);
        Assert.Equal([C], store.Lineage("proj", "t")!.Sources);
        store.RecordLineage("proj", "u", [], replace: true, Now); // own data only: a lineage, and an empty one
        Assert.Empty(store.Lineage("proj", "u")!.Sources);

        store.ForgetLineage("proj", "t");
        Assert.Null(store.Lineage("proj", "t"));
        catalog.Refresh();
        Assert.Equal(version, catalog.Snapshot.Version); // lineage writes start no new catalog version
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
