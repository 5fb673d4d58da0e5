using System.Text;
using DataMesh.Gateway.Catalog.Model;
using System.Data.Common;

namespace DataMesh.Gateway.Catalog.Store;

internal abstract partial class CatalogSession
{
    private protected const string AssetColumns = "id, project, name, source, resolved_path, description, terms, metadata, column_descriptions, schema, published, latest_revision, created_by, created_at, objects, lineage, column_terms, primary_key, cluster_by";

    /// <summary>How many columns <see cref="AssetColumns"/> reads (queries that select more read theirs after these).</summary>
    private protected const int AssetColumnCount = 19;

    private protected static AssetRecord MapAsset(DbDataReader r) => new(
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

    /// <summary>Keeps the store's search documents in step with the asset's metadata (and whether it is published).</summary>
    private protected abstract void IndexAsset(AssetRecord a);

    /// <summary>Removes the asset from the store's search documents.</summary>
    private protected abstract void DeleteFromSearch(long assetId);

    public abstract IReadOnlyList<(AssetRecord Asset, double Score)> SearchAssets(string text, int limit, SearchScope scope);

    /// <summary>The search corpus read sessions rank with (null: the store's own fallback, as write sessions use).</summary>
    internal Search.SearchIndexFollower? SearchIndexFollower { get; init; }

    /// <summary>Fills <paramref name="corpus"/> with every asset's search document (<see cref="Search.SearchIndexFollower"/>'s build).</summary>
    public abstract void ScanSearchIndex(Search.SearchCorpus corpus);

    /// <summary>One asset's search document with what its scope depends on; null when it has none.</summary>
    public abstract (string[] Columns, string Project, bool InPublishedIndex, bool Unpublished)? SearchDocument(long assetId);

    /// <summary>The text of the asset's search document, field by field (name, description, columns, terms, metadata).</summary>
    private protected string[] SearchFields(AssetRecord a)
    {
        var columns = string.Join(' ', a.Schema.Select(c => c.Name.Replace('_', ' ') + " " + c.Name + " " + a.ColumnDescriptions.GetValueOrDefault(c.Name, "")));
        var terms = new StringBuilder();
        foreach (var term in a.Terms.Concat(a.ColumnTerms.Values.SelectMany(t => t)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            terms.Append(term).Append(' ');
            if (GetTerm(term)?.Description is { } description) terms.Append(description).Append(' ');
        }
        return [a.Name.Replace('_', ' ') + " " + a.Name, a.Description ?? "", columns, terms.ToString(), string.Join(' ', a.Metadata.Select(kv => kv.Key + " " + kv.Value))];
    }
}

internal abstract partial class CatalogSession
{
    /// <summary>The next id of a table whose ids must never be reused: above every id the table ever held.</summary>
    private long NextId(string metaKey, string table)
    {
        var floor = Math.Max(
            Scalar<long>("SELECT coalesce((SELECT CAST(value AS BIGINT) FROM meta WHERE key = $k), 0)", ("$k", metaKey)),
            Scalar<long>($"SELECT coalesce(max(id), 0) FROM {table}"));
        Execute("INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", ("$k", metaKey), ("$v", (floor + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return floor + 1;
    }
}
