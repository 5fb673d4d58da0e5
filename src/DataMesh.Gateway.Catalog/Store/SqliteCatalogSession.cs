using DataMesh.Gateway.Catalog.Model;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// One transaction of the embedded catalog: the shared statements of <see cref="CatalogSession"/>, and SEARCH CATALOG's
/// two FTS5 indexes (the in-memory ranking is built from them; FTS5 answers until it is, and in write sessions).
/// </summary>
internal sealed partial class SqliteCatalogSession(SqliteConnection connection, SqliteTransaction transaction)
    : CatalogSession(connection, transaction, CatalogDialect.Sqlite)
{
    /// <summary>
    /// Keeps the asset's search rows in step with its metadata (rowid = asset id): in the index of every asset, and in
    /// the index of published assets while it is published (SEARCH CATALOG ranks what everyone may see from that one).
    /// </summary>
    private protected override void IndexAsset(AssetRecord a)
    {
        var fields = SearchFields(a);
        (string, object?)[] row = [("$i", a.Id), ("$n", fields[0]), ("$d", fields[1]), ("$c", fields[2]), ("$t", fields[3]), ("$m", fields[4])];
        foreach (var index in new[] { SearchIndex.AllAssets, SearchIndex.PublishedAssets })
        {
            Execute($"DELETE FROM {index} WHERE rowid = $i", ("$i", a.Id));
            if (index == SearchIndex.AllAssets || a.Published)
                Execute($"INSERT INTO {index} (rowid, name, description, columns, terms, metadata) VALUES ($i, $n, $d, $c, $t, $m)", row);
        }
    }

    private protected override void DeleteFromSearch(long assetId)
    {
        foreach (var index in new[] { SearchIndex.AllAssets, SearchIndex.PublishedAssets }) Execute($"DELETE FROM {index} WHERE rowid = $i", ("$i", assetId));
    }

}
