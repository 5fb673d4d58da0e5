using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Tests.Catalog;

/// <summary>
/// The store's ranking at full precision (SEARCH CATALOG prints four digits): each scope ranks inside a corpus it may
/// see whole, so an unpublished asset changes no score outside its own project's members' searches.
/// </summary>
public sealed class SearchScopeTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "search-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteCatalogStore _store;

    public SearchScopeTests()
    {
        _store = SqliteCatalogStore.Open(Path.Combine(_dir, "catalog.db"));
        _store.Write(w =>
        {
            w.InsertUser(new UserRecord("owner", null, false, "local", Now));
            w.InsertAccount(new AccountRecord("acct", "/data/acct", "owner", AccountStatus.Proposed, "owner", Now, null));
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            foreach (var project in new[] { "sales", "labs" })
                w.InsertProject(new ProjectRecord(project, "acct", "p", null, new Dictionary<string, string>(), [], "owner", Now));
            Insert(w, "sales", "orders", "Orders and revenue by region", published: true);
            Insert(w, "sales", "returns", "Returned orders", published: true);
            Insert(w, "labs", "notes", "Lab notebook on revenue", published: true);
            Insert(w, "labs", "draft", "A draft on churn", published: false);
            return 0;
        });
    }

    private static void Insert(ICatalogWriter w, string project, string name, string description, bool published)
    {
        var id = w.InsertAsset(new AssetRecord(0, project, name, "x", "/data/acct/x", description, [], new Dictionary<string, string>(),
            new Dictionary<string, string>(), [new ColumnRecord("region", "VARCHAR")], false, null, "owner", Now));
        if (published) w.UpdateAsset(w.GetAsset(id)! with { Published = true, LatestRevision = 1 });
    }

    private List<(string, double)> Search(string text, SearchScope scope) =>
        _store.Read(r => r.SearchAssets(text, 200, scope)).Select(h => (h.Asset.QualifiedName, h.Score)).ToList();

    [Fact]
    public void An_unpublished_asset_moves_no_score_it_is_not_visible_to()
    {
        var consumer = SearchScope.Published([]);
        var salesMember = SearchScope.Published(["sales"]);
        var labsMember = SearchScope.Published(["labs"]);
        var before = (Consumer: Search("revenue orders", consumer), Sales: Search("revenue orders", salesMember),
            Labs: Search("revenue orders", labsMember), All: Search("revenue orders", SearchScope.All));
        Assert.Equal(["labs.notes", "sales.orders", "sales.returns"], before.Consumer.Select(h => h.Item1).Order().ToList());

        _store.Write(w =>
        {
            Insert(w, "sales", "secret", "revenue revenue revenue orders orders", published: false);
            return 0;
        });

        // Exactly the same rows and scores, to the last bit, for everyone outside project sales.
        Assert.Equal(before.Consumer, Search("revenue orders", consumer));
        Assert.Equal(before.Labs, Search("revenue orders", labsMember));
        // A member of sales sees the new draft, ranked among sales' inventory; the published hits keep their scores.
        var sales = Search("revenue orders", salesMember);
        Assert.Contains(sales, h => h.Item1 == "sales.secret");
        Assert.Equal(before.Sales, sales.Where(h => h.Item1 != "sales.secret").ToList());
        // The probe: ranked over every asset (a domain admin's scope, and every search before), the scores move.
        var all = Search("revenue orders", SearchScope.All).Where(h => h.Item1 != "sales.secret").ToList();
        Assert.Equal(before.All.Select(h => h.Item1).Order(), all.Select(h => h.Item1).Order());
        Assert.All(all, h => Assert.NotEqual(before.All.Single(b => b.Item1 == h.Item1).Item2, h.Item2));
    }

    [Fact]
    public void Inventory_hits_appear_only_for_members_and_publishing_moves_an_asset_between_indexes()
    {
        Assert.DoesNotContain(Search("churn", SearchScope.Published([])), h => h.Item1 == "labs.draft");
        Assert.DoesNotContain(Search("churn", SearchScope.Published(["sales"])), h => h.Item1 == "labs.draft");
        Assert.Single(Search("churn", SearchScope.Published(["labs"])));
        Assert.Single(Search("churn", SearchScope.All));

        _store.Write(w =>
        {
            w.UpdateAsset(w.GetAsset("labs", "draft")! with { Published = true, LatestRevision = 1 });
            return 0;
        });
        Assert.Single(Search("churn", SearchScope.Published([])));
        _store.Write(w =>
        {
            w.UpdateAsset(w.GetAsset("labs", "draft")! with { Published = false });
            return 0;
        });
        Assert.Empty(Search("churn", SearchScope.Published([])));
        Assert.Single(Search("churn", SearchScope.Published(["labs"])));
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
