using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Policy.Grants;

namespace DataMesh.Gateway.Tests.Admin;

/// <summary>
/// Admin computes the effective policy itself (it must not reference Policy), so this compares it with the query-time
/// GrantSet for every (project, asset) of a catalog holding each case the rules distinguish — including states the
/// admin commands never produce (two approvals, a subscription to an own asset, masks on hidden columns), because the
/// store allows them and the two must still agree.
/// </summary>
public sealed class EffectivePolicyAgreementTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "effective-" + Guid.NewGuid().ToString("N"));
    private readonly MetadataEngine _parser = new();
    private readonly CatalogService _catalog;

    public EffectivePolicyAgreementTests()
    {
        Directory.CreateDirectory(_dir);
        _catalog = new CatalogService(SqliteCatalogStore.Open(Path.Combine(_dir, "catalog.db")));
        _catalog.Change(w =>
        {
            w.InsertUser(new UserRecord("owner", null, false, "local", Now));
            w.InsertAccount(new AccountRecord("acct", _dir, "owner", AccountStatus.Proposed, "owner", Now, null));
            w.AcceptAccount("acct", Now);
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            foreach (var p in new[] { "marketing", "research", "other", "third", "fourth" })
                w.InsertProject(new ProjectRecord(p, "acct", "p", null, new Dictionary<string, string>(), [], "owner", Now));
            List<ColumnRecord> schema = [new("item_id", "BIGINT"), new("region", "VARCHAR"), new("email", "VARCHAR"), new("sale_date", "DATE")];
            long Asset(string project, string name, bool published)
            {
                var id = w.InsertAsset(new AssetRecord(0, project, name, "x.parquet", Path.Combine(_dir, "x.parquet"), null, [], new Dictionary<string, string>(),
                    new Dictionary<string, string>(), schema, false, null, "owner", Now));
                if (published) w.UpdateAsset(w.GetAsset(id)! with { Published = true, LatestRevision = 1 });
                return id;
            }
            void Subscription(long asset, string consumer, SubscriptionStatus status, string? filter = null, IReadOnlyList<string>? include = null,
                IReadOnlyList<string>? exclude = null, IReadOnlyList<MaskRecord>? masks = null, DateTimeOffset? expires = null)
            {
                var a = w.GetAsset(asset)!;
                var id = w.InsertSubscription(new SubscriptionRecord(0, asset, a.Project, a.Name, consumer, "why", SubscriptionStatus.Pending, "owner", Now,
                    null, null, null, null, null, null, [], null));
                w.UpdateSubscription(w.GetSubscription(id)! with
                {
                    StoredStatus = status, RowFilter = filter, IncludeColumns = include, ExcludeColumns = exclude, Masks = masks ?? [], ExpiresAt = expires,
                });
            }

            var sales = Asset("marketing", "sales", published: true);
            var draft = Asset("marketing", "draft", published: false);
            var wide = Asset("research", "wide", published: true);
            // research: an old approval and a newer one; the newer (include + masks + filter) must win.
            Subscription(sales, "research", SubscriptionStatus.Approved, filter: "region = 'Asia'");
            Subscription(sales, "research", SubscriptionStatus.Approved, filter: "lower(region) = 'europe' AND item_id > 3",
                include: ["item_id", "region", "email"], masks: [new MaskRecord("email", "partial", 2, 4), new MaskRecord("region", "hash", 0, 0)]);
            // other: an expired approval, then a pending request.
            Subscription(sales, "other", SubscriptionStatus.Approved, expires: Now.AddSeconds(-1));
            Subscription(sales, "other", SubscriptionStatus.Pending);
            // third: exclusion with a mask on an excluded column, and a future expiry; a case-mismatched include on wide.
            Subscription(sales, "third", SubscriptionStatus.Approved, exclude: ["email"], masks: [new MaskRecord("email", "hash", 0, 0), new MaskRecord("sale_date", "year", 0, 0)],
                expires: Now.AddDays(3));
            Subscription(wide, "third", SubscriptionStatus.Approved, include: ["REGION", "item_id"]);
            // fourth: revoked and rejected only; and an approval to an unpublished asset.
            Subscription(sales, "fourth", SubscriptionStatus.Revoked);
            Subscription(wide, "fourth", SubscriptionStatus.Rejected);
            Subscription(draft, "research", SubscriptionStatus.Approved);
            // An approved subscription of a project to its own asset: GrantSet lets it replace the full own grant.
            Subscription(wide, "research", SubscriptionStatus.Approved, exclude: ["email"]);
            // A revision 2 of sales adds "phone" after all of the above were approved: pinned grants do not show it.
            w.UpdateAsset(w.GetAsset(sales)! with { Schema = [.. schema, new ColumnRecord("phone", "VARCHAR")], LatestRevision = 2 });
            return 0;
        });
    }

    [Fact]
    public void Every_project_and_asset_agrees_with_the_query_time_grants()
    {
        var snapshot = _catalog.Snapshot;
        var compared = 0;
        foreach (var project in snapshot.Projects.Select(p => p.Name))
        {
            var grants = GrantSet.For(snapshot, project, Now, _parser.SerializeSelect);
            foreach (var asset in snapshot.Assets)
            {
                var where = $"{project} on {asset.QualifiedName}";
                var effective = EffectivePolicy.For(snapshot, project, asset, Now);
                var grant = grants.Find(asset.Project, asset.Name);
                Assert.True((grant is not null) == effective.HasAccess, $"{where}: access differs");
                Assert.Equal(asset.Schema.Select(c => c.Name), effective.Columns.Select(c => c.Name));
                if (grant is null)
                {
                    Assert.All(effective.Columns, c => Assert.False(c.Visible, $"{where}: {c.Name} visible without a grant"));
                    continue;
                }
                compared++;
                Assert.Equal(grant.OwnProject, effective.OwnProject);
                Assert.Equal(grant.SubscriptionIds, effective.Grant is { } g ? [g.Id] : []);
                Assert.Equal(
                    grant.Columns.Select(c => (c.Name, c.Type, c.Mask, c.KeepFirst, c.KeepLast)),
                    effective.Columns.Where(c => c.Visible).Select(c => (c.Name, c.Type, c.Mask?.Kind, c.Mask?.KeepFirst ?? 0, c.Mask?.KeepLast ?? 0)));
                Assert.Equal(grant.QualifiedRowFilter,
                    effective.Grant?.RowFilter is { } filter ? GrantSet.QualifyFilter(filter, _parser.SerializeSelect) : null);
            }
        }
        // Own assets, the winning newer approval, the exclusion, the case-mismatched include, the own-asset subscription.
        Assert.True(compared >= 6, $"only {compared} grants compared");
    }

    [Fact]
    public void The_cases_come_out_as_the_rules_say()
    {
        var snapshot = _catalog.Snapshot;
        var sales = snapshot.Asset("marketing", "sales")!;
        var research = EffectivePolicy.For(snapshot, "research", sales, Now);
        Assert.Equal("lower(region) = 'europe' AND item_id > 3", research.Grant!.RowFilter);
        Assert.Equal(["item_id", "region", "email"], research.Columns.Where(c => c.Visible).Select(c => c.Name));
        Assert.False(EffectivePolicy.For(snapshot, "other", sales, Now).HasAccess);
        // The snapshot holds approved subscriptions only; the newest one of any status comes from the store.
        var latest = _catalog.Store.Read(r => r.LatestSubscription("other", sales.Id));
        Assert.Equal(SubscriptionStatus.Pending, EffectivePolicy.For(snapshot, "other", sales, Now, latest).Latest!.StoredStatus);
        Assert.Null(EffectivePolicy.For(snapshot, "third", sales, Now).Columns.Single(c => c.Name == "email").Mask);
        var phone = EffectivePolicy.For(snapshot, "third", sales, Now).Columns.Single(c => c.Name == "phone");
        Assert.False(phone.Visible);
        Assert.True(phone.Withheld); // added after the exclusion grant was approved
        Assert.False(research.Columns.Single(c => c.Name == "phone").Withheld); // outside research's include list: filtered, not withheld
        Assert.True(EffectivePolicy.For(snapshot, "marketing", sales, Now).Columns.Single(c => c.Name == "phone").Visible); // own asset
        Assert.Equal(["item_id"], EffectivePolicy.For(snapshot, "third", snapshot.Asset("research", "wide")!, Now).Columns.Where(c => c.Visible).Select(c => c.Name));
        Assert.False(EffectivePolicy.For(snapshot, "research", snapshot.Asset("marketing", "draft")!, Now).HasAccess);
        Assert.True(EffectivePolicy.For(snapshot, "marketing", snapshot.Asset("marketing", "draft")!, Now).OwnProject);
    }

    public void Dispose()
    {
        _parser.Dispose();
        _catalog.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp directory is harmless
        }
    }
}
