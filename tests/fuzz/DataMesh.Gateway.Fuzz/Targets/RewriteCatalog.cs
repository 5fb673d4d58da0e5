using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Policy.Grants;

namespace DataMesh.Gateway.Fuzz.Targets;

/// <summary>
/// The fixed catalog the rewrite target runs against, in a real SQLite store: project <c>research</c> owns
/// <c>notes</c> and subscribes to <c>marketing.sales</c> with a row filter, a hidden column and masks; it has no grant
/// on the published <c>marketing.secret</c> and cannot see the unpublished <c>marketing.draft</c>.
/// No file is read: the rewrite only builds SQL.
/// </summary>
public sealed class RewriteCatalog : IDisposable
{
    public const string Consumer = "research";
    public const string HiddenColumn = "customer_email";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private readonly CatalogService _catalog;

    public RewriteCatalog(Func<string, string> serialize)
    {
        Directory = Path.Combine(Path.GetTempPath(), "datamesh-fuzz-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        _catalog = new CatalogService(SqliteCatalogStore.Open(Path.Combine(Directory, "catalog.db")));
        _catalog.Change(w =>
        {
            w.InsertUser(new UserRecord("owner", null, false, "local", Now));
            w.InsertAccount(new AccountRecord("acct", Directory, "owner", AccountStatus.Proposed, "owner", Now, null));
            w.AcceptAccount("acct", Now);
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            foreach (var p in new[] { "marketing", Consumer })
                w.InsertProject(new ProjectRecord(p, "acct", "p", null, new Dictionary<string, string>(), [], "owner", Now));
            List<ColumnRecord> sales = [new("item_id", "BIGINT"), new("region", "VARCHAR"), new(HiddenColumn, "VARCHAR"),
                new("sale_date", "DATE"), new("amount", "BIGINT"), new("phone", "VARCHAR")];
            long Asset(string project, string name, bool published, List<ColumnRecord> schema)
            {
                var path = Path.Combine(Directory, project, name + ".parquet");
                var id = w.InsertAsset(new AssetRecord(0, project, name, name + ".parquet", path, null, [], new Dictionary<string, string>(),
                    new Dictionary<string, string>(), schema, false, null, "owner", Now));
                if (published) w.UpdateAsset(w.GetAsset(id)! with { Published = true, LatestRevision = 1 });
                return id;
            }
            var salesId = Asset("marketing", "sales", true, sales);
            Asset("marketing", "secret", true, [new("id", "BIGINT"), new("payload", "VARCHAR")]);
            Asset("marketing", "draft", false, [new("id", "BIGINT")]);
            Asset(Consumer, "notes", false, [new("id", "BIGINT"), new("note", "VARCHAR")]);
            var sub = w.InsertSubscription(new SubscriptionRecord(0, salesId, "marketing", "sales", Consumer, "fuzz", SubscriptionStatus.Pending,
                "owner", Now, null, null, null, null, null, null, [], null));
            w.UpdateSubscription(w.GetSubscription(sub)! with
            {
                StoredStatus = SubscriptionStatus.Approved,
                RowFilter = "region = 'Europe' AND amount > 10",
                ExcludeColumns = [HiddenColumn],
                Masks = [new MaskRecord("sale_date", "year", 0, 0), new MaskRecord("phone", "partial", 2, 2), new MaskRecord("item_id", "hash", 0, 0)],
            });
            return 0;
        });
        Grants = GrantSet.For(_catalog.Snapshot, Consumer, DateTimeOffset.UtcNow, serialize);
        MaskSecret = _catalog.Snapshot.MaskSecret;
        SourcePaths = _catalog.Snapshot.Assets.Select(a => a.ResolvedPath).ToList();
    }

    /// <summary>Where the catalog lives; every source path starts with it.</summary>
    public string Directory { get; }

    public GrantSet Grants { get; }
    public string MaskSecret { get; }

    /// <summary>The source paths of every asset, granted or not.</summary>
    public IReadOnlyList<string> SourcePaths { get; }

    public void Dispose()
    {
        _catalog.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
