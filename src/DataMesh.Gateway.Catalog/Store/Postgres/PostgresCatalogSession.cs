using System.Data.Common;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store.Search;

namespace DataMesh.Gateway.Catalog.Store.Postgres;

/// <summary>
/// One transaction of a PostgreSQL catalog: the shared statements of <see cref="CatalogSession"/>, and SEARCH CATALOG
/// without FTS5. An asset's search document is a plain row (<c>asset_search_documents</c>, the same five fields SQLite
/// indexes); ranking is the in-memory corpus's alone (<see cref="SearchIndexFollower"/>, built from these rows with
/// FTS5's own tokenizer, so scores agree with a SQLite catalog's).
/// </summary>
internal sealed class PostgresCatalogSession(DbConnection connection, DbTransaction transaction)
    : CatalogSession(connection, transaction, CatalogDialect.Postgres)
{
    private const string DocumentColumns = "d.name, d.description, d.columns, d.terms, d.metadata, a.project, a.published";

    private protected override void IndexAsset(AssetRecord a)
    {
        var f = SearchFields(a);
        Execute("INSERT INTO asset_search_documents (asset_id, name, description, columns, terms, metadata) VALUES ($i, $n, $d, $c, $t, $m) " +
                "ON CONFLICT (asset_id) DO UPDATE SET name = excluded.name, description = excluded.description, columns = excluded.columns, " +
                "terms = excluded.terms, metadata = excluded.metadata",
            ("$i", a.Id), ("$n", f[0]), ("$d", f[1]), ("$c", f[2]), ("$t", f[3]), ("$m", f[4]));
    }

    /// <summary>
    /// NOTIFY on <see cref="PostgresCatalogStore.ChangeChannel"/> with the new position: PostgreSQL queues it with the
    /// transaction and delivers it to every listening node only when the transaction commits.
    /// </summary>
    private protected override void Announce(long position) =>
        Execute($"SELECT pg_notify('{PostgresCatalogStore.ChangeChannel}', $p)", ("$p", position.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private protected override void DeleteFromSearch(long assetId) => Execute("DELETE FROM asset_search_documents WHERE asset_id = $i", ("$i", assetId));

    public override IReadOnlyList<(AssetRecord Asset, double Score)> SearchAssets(string text, int limit, SearchScope scope)
    {
        var words = SqliteCatalogSession.SearchWords(text);
        if (words.Count == 0) return [];
        if (SearchIndexFollower is { } follower && _changes.Count == 0)
        {
            // No FTS5 to answer while the corpus builds: the first search of a node waits for it.
            for (var attempt = 0; attempt < 3; attempt++)
            {
                if (follower.TryRank(this, words, scope, limit, out var ranked)) return WithAssets(ranked);
                follower.Prepare().Wait();
            }
        }
        // A write session (its own changes are not in the log yet), or words the shared corpus cannot fold: rank a
        // corpus of this transaction's documents, built for this search.
        return WithAssets(RankPrivately(words, scope, limit));
    }

    private List<(long AssetId, double Score)> RankPrivately(IReadOnlyList<string> words, SearchScope scope, int limit)
    {
        var corpus = new SearchCorpus();
        ScanSearchIndex(corpus);
        using var tokenizer = new SearchTokenizer();
        var prefixes = words.SelectMany(w => tokenizer.Fold(w) is { } folded ? [folded] : tokenizer.Tokenize([w, "", "", "", ""]).Terms.Select(t => t.Term)).Distinct().ToList();
        if (prefixes.Count == 0) return [];
        var hits = SearchRanking.Rank(corpus, prefixes, scope.Everything ? RankScope.All : RankScope.Published, limit);
        if (!scope.Everything && scope.InventoryProjects.Count > 0)
            hits = hits.Concat(SearchRanking.Rank(corpus, prefixes, RankScope.InventoryOf(scope.InventoryProjects), limit)).OrderBy(h => h.Score).Take(limit).ToList();
        return hits;
    }

    /// <summary>Every document, tokenized; terms are appended in order at the end (the corpus's bulk path).</summary>
    public override void ScanSearchIndex(SearchCorpus corpus)
    {
        using var tokenizer = new SearchTokenizer();
        var postings = new Dictionary<string, List<(int Ordinal, int Weight)>>(StringComparer.Ordinal);
        var lengths = new List<int>();
        using (var cmd = Command($"SELECT d.asset_id, {DocumentColumns} FROM asset_search_documents d JOIN assets a ON a.id = d.asset_id ORDER BY d.asset_id"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var published = r.GetInt64(7) != 0;
                var ordinal = corpus.AddDocument(r.GetInt64(0), PooledString(r, 6), published, !published, 0);
                var (terms, length) = tokenizer.Tokenize([r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5)]);
                foreach (var (term, weight) in terms)
                {
                    if (!postings.TryGetValue(term, out var list)) postings[term] = list = [];
                    list.Add((ordinal, weight));
                }
                lengths.Add(length);
            }
        }
        foreach (var term in postings.Keys.Order(StringComparer.Ordinal))
        {
            var list = postings[term];
            var target = corpus.AppendTerm(term, list.Count);
            foreach (var (ordinal, weight) in list) target.Add(ordinal, weight);
        }
        corpus.AddLengths([.. lengths]);
    }

    public override (string[] Columns, string Project, bool InPublishedIndex, bool Unpublished)? SearchDocument(long assetId)
    {
        var rows = Query($"SELECT {DocumentColumns} FROM asset_search_documents d JOIN assets a ON a.id = d.asset_id WHERE d.asset_id = $i",
            r => (new[] { r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4) }, PooledString(r, 5), r.GetInt64(6) != 0, r.GetInt64(6) == 0),
            ("$i", assetId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The assets of <paramref name="hits"/> in the hits' order (a hit whose asset is gone is dropped).</summary>
    private List<(AssetRecord Asset, double Score)> WithAssets(List<(long AssetId, double Score)> hits)
    {
        if (hits.Count == 0) return [];
        var ids = "[" + string.Join(",", hits.Select(h => h.AssetId.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
        var assets = Query($"SELECT {AssetColumns} FROM assets WHERE CAST(id AS text) IN (SELECT value FROM json_each($ids))", MapAsset, ("$ids", ids)).ToDictionary(a => a.Id);
        return hits.Where(h => assets.ContainsKey(h.AssetId)).Select(h => (assets[h.AssetId], h.Score)).ToList();
    }
}
