namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// What a search may count when it ranks: bm25 weighs every word by how many indexed assets hold it, so an index that
/// held assets the caller may not see would let their words move the caller's scores (an unpublished asset's words
/// could be probed that way). A domain admin may see every asset; everyone else sees the published ones and the
/// inventory of the projects they belong to.
/// </summary>
public sealed record SearchScope(bool Everything, IReadOnlyCollection<string> InventoryProjects)
{
    public static readonly SearchScope All = new(true, []);

    /// <summary>Published assets, plus the unpublished ones of <paramref name="memberOf"/>.</summary>
    public static SearchScope Published(IReadOnlyCollection<string> memberOf) => new(false, memberOf);
}

/// <summary>The two FTS5 indexes of asset metadata (migration 1 and 6).</summary>
internal static class SearchIndex
{
    public const string AllAssets = "asset_search";
    public const string PublishedAssets = "asset_search_published";
}
