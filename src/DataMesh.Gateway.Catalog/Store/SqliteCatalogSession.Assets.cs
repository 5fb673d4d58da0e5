using System.Text;
using DataMesh.Gateway.Catalog.Model;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Catalog.Store;

internal sealed partial class SqliteCatalogSession
{
    private const string AssetColumns = "id, project, name, source, resolved_path, description, terms, metadata, column_descriptions, schema, published, latest_revision, created_by, created_at, objects, lineage, column_terms, primary_key, cluster_by";

    /// <summary>How many columns <see cref="AssetColumns"/> reads (queries that select more read theirs after these).</summary>
    private const int AssetColumnCount = 19;

    private static AssetRecord MapAsset(SqliteDataReader r) => new(
        r.GetInt64(0), PooledString(r, 1), PooledString(r, 2), r.GetString(3), r.GetString(4), NullableString(r, 5),
        FromJson<List<string>>(r.GetString(6)), FromJson<Dictionary<string, string>>(r.GetString(7)),
        FromJson<Dictionary<string, string>>(r.GetString(8)), FromJson<List<ColumnRecord>>(r.GetString(9)),
        r.GetInt64(10) != 0, r.IsDBNull(11) ? null : r.GetInt32(11), PooledString(r, 12), ParseTime(r.GetString(13)))
    {
        Objects = r.IsDBNull(14) ? null : FromJson<List<ObjectRecord>>(r.GetString(14)),
        Lineage = r.IsDBNull(15) ? null : FromJson<LineageRecord>(r.GetString(15)),
        ColumnTerms = FromJson<Dictionary<string, List<string>>>(r.GetString(16)).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
        PrimaryKey = FromJson<List<string>>(r.GetString(17)),
        ClusterBy = FromJson<List<string>>(r.GetString(18)),
    };

    public AssetRecord? GetAsset(string project, string name) =>
        Query($"SELECT {AssetColumns} FROM assets WHERE project = $p AND name = $n", MapAsset, ("$p", project), ("$n", name)).FirstOrDefault();

    public AssetRecord? GetAsset(long id) => Query($"SELECT {AssetColumns} FROM assets WHERE id = $i", MapAsset, ("$i", id)).FirstOrDefault();

    public IReadOnlyList<AssetRecord> Assets() => Query($"SELECT {AssetColumns} FROM assets ORDER BY project, name", MapAsset);

    public IReadOnlyList<AssetRecord> AssetsOf(string project) =>
        Query($"SELECT {AssetColumns} FROM assets WHERE project = $p ORDER BY name", MapAsset, ("$p", project));

    public IReadOnlyList<AssetRecord> PublishedAssetsNamed(string name) =>
        Query($"SELECT {AssetColumns} FROM assets WHERE name = $n AND published = 1 ORDER BY project", MapAsset, ("$n", name));

    public long InsertAsset(AssetRecord a)
    {
        // Ids are never reused: one a DROP freed still names the old asset in audit records and events.
        var id = NextId("last_asset_id", "assets");
        Execute(
            "INSERT INTO assets (id, project, name, source, resolved_path, description, terms, metadata, column_descriptions, schema, published, latest_revision, created_by, created_at, objects, lineage, column_terms, primary_key, cluster_by) " +
            "VALUES ($id, $p, $n, $s, $r, $d, $terms, $m, $cd, $schema, 0, NULL, $c, $t, $o, $l, $ct, $pk, $cb)",
            ("$id", id), ("$ct", Json(a.ColumnTerms)), ("$pk", Json(a.PrimaryKey)), ("$cb", Json(a.ClusterBy)), ("$p", a.Project), ("$n", a.Name), ("$s", a.Source), ("$r", a.ResolvedPath), ("$d", a.Description), ("$terms", Json(a.Terms)),
            ("$m", Json(a.Metadata)), ("$cd", Json(a.ColumnDescriptions)), ("$schema", Json(a.Schema)), ("$c", a.CreatedBy), ("$t", Time(a.CreatedAt)),
            ("$o", a.Objects is null ? null : Json(a.Objects)), ("$l", a.Lineage is null ? null : Json(a.Lineage)));
        IndexAsset(a with { Id = id });
        Changed(ChangeKinds.Asset, id);
        return id;
    }

    public void UpdateAsset(AssetRecord a)
    {
        Execute("UPDATE assets SET description = $d, terms = $terms, metadata = $m, column_descriptions = $cd, schema = $schema, " +
                "published = $pub, latest_revision = $rev, objects = $o, column_terms = $ct, primary_key = $pk, cluster_by = $cb WHERE id = $i", ("$ct", Json(a.ColumnTerms)),
            ("$pk", Json(a.PrimaryKey)), ("$cb", Json(a.ClusterBy)),
            ("$d", a.Description), ("$terms", Json(a.Terms)), ("$m", Json(a.Metadata)), ("$cd", Json(a.ColumnDescriptions)),
            ("$schema", Json(a.Schema)), ("$pub", a.Published ? 1 : 0), ("$rev", a.LatestRevision), ("$o", a.Objects is null ? null : Json(a.Objects)), ("$i", a.Id));
        IndexAsset(a);
        Changed(ChangeKinds.Asset, a.Id);
    }

    public IReadOnlyList<RevisionRecord> Revisions(long assetId) =>
        Query("SELECT asset_id, revision, schema, description, published_by, published_at FROM asset_revisions WHERE asset_id = $a ORDER BY revision",
            r => new RevisionRecord(r.GetInt64(0), r.GetInt32(1), FromJson<List<ColumnRecord>>(r.GetString(2)), NullableString(r, 3), r.GetString(4), ParseTime(r.GetString(5))),
            ("$a", assetId));

    public void InsertRevision(RevisionRecord v)
    {
        Execute("INSERT INTO asset_revisions (asset_id, revision, schema, description, published_by, published_at) VALUES ($a, $r, $s, $d, $p, $t)",
            ("$a", v.AssetId), ("$r", v.Revision), ("$s", Json(v.Schema)), ("$d", v.Description), ("$p", v.PublishedBy), ("$t", Time(v.PublishedAt)));
        Changed(ChangeKinds.Asset, v.AssetId);
    }

    /// <summary>
    /// Keeps the asset's search rows in step with its metadata (rowid = asset id): in the index of every asset, and in
    /// the index of published assets while it is published (SEARCH CATALOG ranks what everyone may see from that one).
    /// </summary>
    private void IndexAsset(AssetRecord a)
    {
        var columns = string.Join(' ', a.Schema.Select(c => c.Name.Replace('_', ' ') + " " + c.Name + " " + a.ColumnDescriptions.GetValueOrDefault(c.Name, "")));
        var terms = new StringBuilder();
        foreach (var term in a.Terms.Concat(a.ColumnTerms.Values.SelectMany(t => t)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            terms.Append(term).Append(' ');
            if (GetTerm(term)?.Description is { } description) terms.Append(description).Append(' ');
        }
        (string, object?)[] row =
        [
            ("$i", a.Id), ("$n", a.Name.Replace('_', ' ') + " " + a.Name), ("$d", a.Description ?? ""), ("$c", columns), ("$t", terms.ToString()),
            ("$m", string.Join(' ', a.Metadata.Select(kv => kv.Key + " " + kv.Value))),
        ];
        foreach (var index in new[] { SearchIndex.AllAssets, SearchIndex.PublishedAssets })
        {
            Execute($"DELETE FROM {index} WHERE rowid = $i", ("$i", a.Id));
            if (index == SearchIndex.AllAssets || a.Published)
                Execute($"INSERT INTO {index} (rowid, name, description, columns, terms, metadata) VALUES ($i, $n, $d, $c, $t, $m)", row);
        }
    }
}

internal sealed partial class SqliteCatalogSession
{
    /// <summary>The next id of a table whose ids must never be reused: above every id the table ever held.</summary>
    private long NextId(string metaKey, string table)
    {
        var floor = Scalar<long>($"SELECT max(coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = $k), 0), coalesce((SELECT max(id) FROM {table}), 0))", ("$k", metaKey));
        Execute("INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", ("$k", metaKey), ("$v", (floor + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return floor + 1;
    }

    private void DeleteFromSearch(long assetId)
    {
        foreach (var index in new[] { SearchIndex.AllAssets, SearchIndex.PublishedAssets }) Execute($"DELETE FROM {index} WHERE rowid = $i", ("$i", assetId));
    }
}
