using System.Text;
using DataMesh.Gateway.Catalog.Model;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// SEARCH CATALOG's ranking. Each hit is scored (bm25) inside a corpus the caller may see whole, so nothing the caller
/// cannot see moves its scores: a domain admin's over the index of every asset; everyone else's published hits over the
/// index of published assets, and their own projects' inventory hits over a private index of just that inventory,
/// built in memory for the search.
/// </summary>
internal sealed partial class SqliteCatalogSession
{
    // bm25 weights: name 10, description 4, columns 2, terms 5, metadata 1. Lower bm25 is better.
    private static string RankedHits(string index) =>
        $"SELECT rowid, bm25({index}, 10.0, 4.0, 2.0, 5.0, 1.0) AS score FROM {index} WHERE {index} MATCH $q ORDER BY score LIMIT $l";

    /// <summary>
    /// The hits with their assets, best first. One statement for the hits and their assets: a read by primary key per
    /// hit cost ~10 ms for 200 hits with 100,000 assets, a third of the search (bench/NOTES.md, "Profiles of the
    /// missed targets").
    /// </summary>
    public override IReadOnlyList<(AssetRecord Asset, double Score)> SearchAssets(string text, int limit, SearchScope scope)
    {
        var words = SearchWords(text);
        if (words.Count == 0) return [];
        // A read ranks in memory; a write session (its own changes not committed, not in the log yet) asks FTS5.
        if (SearchIndexFollower is { } follower && _changes.Count == 0 && follower.TryRank(this, words, scope, limit, out var ranked))
            return WithAssets(ranked);
        return SearchInFts5(JoinFtsQuery(words), limit, scope);
    }

    /// <summary>The same search answered by FTS5 alone: the reference the in-memory corpus is tested against.</summary>
    internal IReadOnlyList<(AssetRecord Asset, double Score)> SearchInFts5(string query, int limit, SearchScope scope)
    {
        if (query.Length == 0) return [];
        var index = scope.Everything ? SearchIndex.AllAssets : SearchIndex.PublishedAssets;
        var hits = Query($"SELECT {AssetColumns}, hits.score FROM ({RankedHits(index)}) AS hits JOIN assets ON assets.id = hits.rowid ORDER BY hits.score",
            r => (MapAsset(r), r.GetDouble(AssetColumnCount)), ("$q", query), ("$l", limit));
        if (scope.Everything || scope.InventoryProjects.Count == 0) return hits;
        return hits.Concat(InventoryHits(query, limit, scope.InventoryProjects)).OrderBy(h => h.Item2).Take(limit).ToList();
    }

    /// <summary>The unpublished assets of <paramref name="projects"/> that match, ranked among themselves only.</summary>
    private List<(AssetRecord Asset, double Score)> InventoryHits(string query, int limit, IReadOnlyCollection<string> projects)
    {
        var names = string.Join(", ", projects.Select((_, i) => "$p" + i));
        var parameters = projects.Select((p, i) => ("$p" + i, (object?)p)).ToArray();
        var inventory = Query(
            $"SELECT {QualifiedAssetColumns}, s.name, s.description, s.columns, s.terms, s.metadata FROM {SearchIndex.AllAssets} s " +
            $"JOIN assets ON assets.id = s.rowid WHERE assets.published = 0 AND assets.project IN ({names})",
            r => (Asset: MapAsset(r), Document: new object?[] { r.GetInt64(0), r.GetString(AssetColumnCount), r.GetString(AssetColumnCount + 1), r.GetString(AssetColumnCount + 2), r.GetString(AssetColumnCount + 3), r.GetString(AssetColumnCount + 4) }),
            parameters);
        if (inventory.Count == 0) return [];

        using var corpus = new SqliteConnection("Data Source=:memory:;Pooling=False"); // a pooled in-memory database would keep its tables
        corpus.Open();
        Run(corpus, "CREATE VIRTUAL TABLE corpus USING fts5(name, description, columns, terms, metadata, tokenize = 'unicode61 remove_diacritics 2')");
        // Its cost grows with the caller's own inventory, never with the catalog (bench: CatalogSearchBenchmarks).
        using (var transaction = corpus.BeginTransaction())
        using (var insert = corpus.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO corpus (rowid, name, description, columns, terms, metadata) VALUES ($0, $1, $2, $3, $4, $5)";
            var fields = Enumerable.Range(0, 6).Select(i => insert.Parameters.Add(new SqliteParameter("$" + i, null))).ToArray();
            foreach (var (_, document) in inventory)
            {
                for (var i = 0; i < fields.Length; i++) fields[i].Value = document[i];
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        var scores = new List<(long Id, double Score)>();
        using (var rank = corpus.CreateCommand())
        {
            rank.CommandText = RankedHits("corpus");
            rank.Parameters.AddWithValue("$q", query);
            rank.Parameters.AddWithValue("$l", limit);
            using var reader = rank.ExecuteReader();
            while (reader.Read()) scores.Add((reader.GetInt64(0), reader.GetDouble(1)));
        }
        var assets = inventory.ToDictionary(x => x.Asset.Id, x => x.Asset);
        return scores.Select(s => (assets[s.Id], s.Score)).ToList();
    }

    private static readonly string QualifiedAssetColumns = string.Join(", ", AssetColumns.Split(", ").Select(c => "assets." + c));

    private static void Run(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// Turns free text into an FTS5 query: each word becomes a quoted prefix term, OR-ed, so user text can never
    /// inject FTS5 syntax (column filters, NEAR, unbalanced quotes).
    /// </summary>
    internal static string ToFtsQuery(string text) => JoinFtsQuery(SearchWords(text));

    private static string JoinFtsQuery(IReadOnlyList<string> words) => string.Join(" OR ", words.Select(w => "\"" + w + "\"*"));

    /// <summary>The words of a search (letters and digits; at most 32, each once whatever its case).</summary>
    internal static IReadOnlyList<string> SearchWords(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var ch in text + " ")
        {
            if (char.IsLetterOrDigit(ch)) current.Append(ch);
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        return words.Distinct(StringComparer.OrdinalIgnoreCase).Take(32).ToList();
    }
}
