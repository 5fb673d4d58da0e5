using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Tests.Catalog.Contract;

/// <summary>
/// What every catalog store does, whatever holds it (docs/ARCHITECTURE.md, "The catalog store"): run against the
/// embedded SQLite store and against PostgreSQL. Each test opens a new, empty catalog.
/// </summary>
public abstract class CatalogStoreContract
{
    private protected static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A new, empty catalog. <paramref name="second"/>: another store (another node) on the catalog <paramref name="first"/> opened.</summary>
    protected abstract ICatalogStore OpenStore();

    /// <summary>A second store on the same catalog as <paramref name="first"/> (a second gateway process or fleet node).</summary>
    protected abstract ICatalogStore OpenSecond(ICatalogStore first);

    [Fact]
    public void A_new_catalog_has_its_domain_a_random_mask_key_and_a_change_log_that_starts_with_a_reload()
    {
        using var store = OpenStore();
        Assert.Equal("datamesh", store.Read(r => r.DomainName));
        var secret = store.Read(r => r.MaskSecret);
        Assert.Matches("^[0-9a-f]{64}$", secret);
        using var other = OpenStore();
        Assert.NotEqual(secret, other.Read(r => r.MaskSecret));
        var version = store.Read(r => r.Version);
        Assert.Equal(1, version);
        var log = store.ChangesSince(0, 10);
        Assert.Equal([new ChangeBatch(1, [new CatalogChange(ChangeKinds.Everything, "")])], log, BatchComparer.Instance);
    }

    [Fact]
    public void Each_write_that_changes_something_takes_the_next_position_with_exactly_its_changes()
    {
        using var store = OpenStore();
        var start = store.Read(r => r.Version);
        Seed(store);
        store.Write(w => w.DomainName); // a write that changed nothing keeps the version
        var log = store.ChangesSince(start, 100);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => start + i), log.Select(b => b.Position));
        Assert.Equal(store.Read(r => r.Version), log[^1].Position);
        Assert.Equal([new CatalogChange(ChangeKinds.User, "owner")], log[0].Changes);
        var last = log[^1].Changes.OrderBy(c => c.Kind, StringComparer.Ordinal).ToList();
        Assert.Equal([new CatalogChange(ChangeKinds.Asset, "1"), new CatalogChange(ChangeKinds.Subscription, "1")], last);
        Assert.Equal(log.Skip(2).ToList(), store.ChangesSince(start + 2, 100), BatchComparer.Instance);
        Assert.Equal(2, store.ChangesSince(start, 2).Count); // at most maxBatches writes
    }

    [Fact]
    public void A_write_that_throws_leaves_nothing_and_keeps_the_version()
    {
        using var store = OpenStore();
        var before = store.Read(r => r.Version);
        Assert.Throws<InvalidOperationException>(() => store.Write<int>(w =>
        {
            w.InsertUser(new UserRecord("half", null, false, "local", Now));
            w.InsertGroup("half_group", Now);
            throw new InvalidOperationException("crash in the middle of a command");
        }));
        Assert.Null(store.Read(r => r.GetUser("half")));
        Assert.Null(store.Read(r => r.GetGroup("half_group")));
        Assert.Equal(before, store.Read(r => r.Version));
        Assert.Equal(1, store.Rehearse(w =>
        {
            w.InsertUser(new UserRecord("rehearsed", null, false, "local", Now));
            return w.Users().Count;
        }));
        Assert.Null(store.Read(r => r.GetUser("rehearsed")));
        Assert.Equal(before, store.Read(r => r.Version));
    }

    [Fact]
    public void Records_of_every_kind_read_back_as_written()
    {
        using var store = OpenStore();
        var (assetId, subscriptionId) = Seed(store);
        store.Read(r =>
        {
            Assert.Equal("owner", Assert.Single(r.Users()).Name);
            Assert.Equal(1, r.DomainAdminCount());
            Assert.Equal(["owner"], r.GetGroup("analysts")!.Members);
            Assert.Equal(AccountStatus.Accepted, r.GetAccount("acct")!.Status);
            var project = r.GetProject("proj")!;
            Assert.Equal([new MemberRecord("owner", false, MemberRole.Owner), new MemberRecord("analysts", true, MemberRole.Viewer)], project.Members);
            Assert.Equal(["proj"], r.ProjectsWithMember("analysts", true).Select(p => p.Name));
            Assert.Equal("Revenue", r.GetTerm("REVENUE")!.Term); // terms match case-insensitively in both stores
            var asset = r.GetAsset(assetId)!;
            Assert.Equal(("proj", "orders", true, 1), (asset.Project, asset.Name, asset.Published, asset.LatestRevision));
            Assert.Equal([new ColumnRecord("id", "BIGINT"), new ColumnRecord("region", "VARCHAR")], asset.Schema);
            Assert.Equal("Revenue", Assert.Single(asset.Terms));
            Assert.Equal(1, Assert.Single(r.Revisions(assetId)).Revision);
            var grant = r.GetSubscription(subscriptionId)!;
            Assert.Equal((SubscriptionStatus.Approved, "region = 'EU'"), (grant.StoredStatus, grant.RowFilter));
            Assert.Equal(["id", "region"], grant.ApprovedColumns); // pinned at approval from the asset's columns
            Assert.Equal([subscriptionId], r.ApprovedSubscriptionsOf("proj").Select(s => s.Id));
            Assert.Equal(["proj"], r.ConsumersOf(assetId));
            Assert.Equal(new CatalogCounts(1, 1, 1, 1, 1, 1, 0), r.Counts(Now));
            return 0;
        });
    }

    [Fact]
    public void Ids_freed_by_a_drop_are_never_handed_out_again()
    {
        using var store = OpenStore();
        var (assetId, subscriptionId) = Seed(store);
        store.Write(w =>
        {
            w.DeleteAsset(assetId);
            return 0;
        });
        var (again, grant) = store.Write(w =>
        {
            var id = w.InsertAsset(Asset("orders"));
            return (id, w.InsertSubscription(Request(id)));
        });
        Assert.True(again > assetId && grant > subscriptionId, $"asset {again} after {assetId}, subscription {grant} after {subscriptionId}");
    }

    [Fact]
    public void Audit_records_append_in_order_and_cannot_be_changed_afterwards()
    {
        using var store = OpenStore();
        store.AppendAudit([Audit("alice", "SELECT 1"), Audit("bob", "SELECT 2")]);
        store.AppendAudit(Audit("alice", "SELECT 3"));
        var records = store.Read(r => r.Audit(10, null));
        Assert.Equal(["SELECT 3", "SELECT 2", "SELECT 1"], records.Select(a => a.StatementText));
        Assert.True(records[0].Id > records[1].Id && records[1].Id > records[2].Id);
        Assert.Equal(["SELECT 3", "SELECT 1"], store.Read(r => r.Audit(10, "alice")).Select(a => a.StatementText));
        Assert.Equal(0, store.Read(r => r.Version) - 1); // the audit is not a catalog change
        Assert.ThrowsAny<Exception>(() => TamperWithAudit(store));
        Assert.Equal(3, store.Read(r => r.Audit(10, null)).Count);
    }

    [Fact]
    public async Task Search_ranks_published_assets_for_everyone_and_inventory_only_for_members()
    {
        using var store = OpenStore();
        Seed(store);
        store.Write(w => w.InsertAsset(Asset("draft_revenue_orders")));
        await store.PrepareSearch();
        var everyone = store.Read(r => r.SearchAssets("orders", 10, SearchScope.Published([])));
        Assert.Equal(["orders"], everyone.Select(h => h.Asset.Name));
        var member = store.Read(r => r.SearchAssets("orders", 10, SearchScope.Published(["proj"])));
        Assert.Equal(["draft_revenue_orders", "orders"], member.Select(h => h.Asset.Name).Order(StringComparer.Ordinal));
        var admin = store.Read(r => r.SearchAssets("revenue", 10, SearchScope.All));
        Assert.Equal(2, admin.Count);
        Assert.Empty(store.Read(r => r.SearchAssets("nothing_matches_this", 10, SearchScope.All)));
    }

    [Fact]
    public async Task Two_writers_deciding_one_request_at_once_let_exactly_one_decide_it()
    {
        using var first = OpenStore();
        using var second = OpenSecond(first);
        var (assetId, _) = Seed(first);
        for (var round = 0; round < 10; round++)
        {
            var request = first.Write(w => w.InsertSubscription(Request(assetId)));
            bool Decide(ICatalogStore store, SubscriptionStatus status) => store.Write(w =>
            {
                var pending = w.GetSubscription(request)!.StoredStatus == SubscriptionStatus.Pending;
                if (!pending) return false;
                w.UpdateSubscription(w.GetSubscription(request)! with { StoredStatus = status, DecidedBy = status.ToString(), DecidedAt = Now });
                w.AppendAudit(Audit(status.ToString(), "decide " + request));
                return true;
            });
            var approve = Task.Run(() => Decide(first, SubscriptionStatus.Approved));
            var reject = Task.Run(() => Decide(second, SubscriptionStatus.Rejected));
            var (approved, rejected) = (await approve, await reject);
            Assert.Equal(1, new[] { approved, rejected }.Count(decided => decided));
            var decidedBy = first.Read(r => r.GetSubscription(request)!.DecidedBy);
            Assert.Equal(approved ? "Approved" : "Rejected", decidedBy);
        }
        Assert.Equal(10, first.Read(r => r.Audit(100, null)).Count(a => a.StatementText!.StartsWith("decide", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Concurrent_writes_and_audit_appends_from_two_stores_lose_nothing_and_share_no_id()
    {
        using var first = OpenStore();
        using var second = OpenSecond(first);
        var start = first.Read(r => r.Version);
        const int PerWriter = 25;
        void Work(ICatalogStore store, string who)
        {
            for (var i = 0; i < PerWriter; i++)
            {
                store.Write(w =>
                {
                    w.InsertGroup($"{who}_{i}", Now);
                    w.AppendAudit(Audit(who, $"CREATE GROUP {who}_{i}"));
                    return 0;
                });
                store.AppendAudit(Audit(who, $"SELECT {i}"));
            }
        }
        await Task.WhenAll(Task.Run(() => Work(first, "a")), Task.Run(() => Work(second, "b")), Task.Run(() => Work(first, "c")));
        Assert.Equal(3 * PerWriter, first.Read(r => r.Groups()).Count);
        var audit = first.Read(r => r.Audit(1000, null));
        Assert.Equal(6 * PerWriter, audit.Count);
        Assert.Equal(audit.Count, audit.Select(a => a.Id).Distinct().Count());
        var log = first.ChangesSince(start, 1000);
        Assert.Equal(Enumerable.Range(1, 3 * PerWriter).Select(i => start + i), log.Select(b => b.Position)); // no gaps, no repeats
        Assert.Equal(3 * PerWriter, log.SelectMany(b => b.Changes).Distinct().Count());
    }

    /// <summary>Tries to rewrite an audit record behind the store's back (the store must refuse).</summary>
    private protected abstract void TamperWithAudit(ICatalogStore store);

    /// <summary>A small mesh: a user, a group, an accepted account, a project with members, a term, a published asset with a revision, an approved grant.</summary>
    private protected static (long AssetId, long SubscriptionId) Seed(ICatalogStore store)
    {
        store.Write(w =>
        {
            w.InsertUser(new UserRecord("owner", null, true, "local", Now));
            return 0;
        });
        store.Write(w =>
        {
            w.InsertGroup("analysts", Now);
            w.AddGroupMember("analysts", "owner");
            w.AddGroupMember("analysts", "owner"); // twice: still one membership
            w.InsertAccount(new AccountRecord("acct", "/data/acct", "owner", AccountStatus.Proposed, "owner", Now, null));
            w.AcceptAccount("acct", Now);
            w.InsertProfile(new ProfileRecord("prof", [], null, Now));
            w.InsertProject(new ProjectRecord("proj", "acct", "prof", null, new Dictionary<string, string>(), [], "owner", Now));
            w.SetMember("proj", new MemberRecord("owner", false, MemberRole.Owner));
            w.SetMember("proj", new MemberRecord("analysts", true, MemberRole.Viewer));
            w.InsertTerm(new GlossaryTermRecord("Revenue", "money coming in", Now));
            return 0;
        });
        return store.Write(w =>
        {
            var id = w.InsertAsset(Asset("orders"));
            w.UpdateAsset(Asset("orders") with { Id = id, Published = true, LatestRevision = 1 });
            w.InsertRevision(new RevisionRecord(id, 1, [new ColumnRecord("id", "BIGINT"), new ColumnRecord("region", "VARCHAR")], null, "owner", Now));
            var grant = w.InsertSubscription(Request(id));
            w.UpdateSubscription(w.GetSubscription(grant)! with { StoredStatus = SubscriptionStatus.Approved, DecidedBy = "owner", DecidedAt = Now, RowFilter = "region = 'EU'" });
            return (id, grant);
        });
    }

    private protected static AssetRecord Asset(string name) => new(0, "proj", name, name + ".parquet", "/data/acct/proj/" + name + ".parquet",
        "orders with revenue", ["Revenue"], new Dictionary<string, string>(), new Dictionary<string, string>(),
        [new ColumnRecord("id", "BIGINT"), new ColumnRecord("region", "VARCHAR")], false, null, "owner", Now);

    private protected static SubscriptionRecord Request(long assetId) => new(0, assetId, "proj", "orders", "proj", "reporting", SubscriptionStatus.Pending,
        "owner", Now, null, null, null, null, null, null, [], null);

    private protected static AuditRecord Audit(string user, string text) =>
        new(0, Now, user, null, null, null, "query", "SELECT", text, "ok", null, null, [], [], null, 1, 0.5);

    private sealed class BatchComparer : IEqualityComparer<ChangeBatch>
    {
        public static readonly BatchComparer Instance = new();

        public bool Equals(ChangeBatch? x, ChangeBatch? y) => x!.Position == y!.Position && x.Changes.ToHashSet().SetEquals(y.Changes);

        public int GetHashCode(ChangeBatch obj) => obj.Position.GetHashCode();
    }
}
