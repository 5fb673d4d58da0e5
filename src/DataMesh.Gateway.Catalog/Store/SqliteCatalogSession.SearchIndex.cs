using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store.Search;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>What the in-memory search corpus (<see cref="SearchIndexFollower"/>) reads of the FTS5 index.</summary>
internal sealed partial class SqliteCatalogSession
{

    /// <summary>
    /// Fills <paramref name="corpus"/> from the index of every asset: its rows (FTS5's docsize shadow table, one row per
    /// document), which of them the published index holds, and every term instance with its column's weight
    /// (fts5vocab 'instance': ordered by term, then document), summed per term and document.
    /// </summary>
    public override void ScanSearchIndex(SearchCorpus corpus)
    {
        var published = Query($"SELECT id FROM {SearchIndex.PublishedAssets}_docsize", r => r.GetInt64(0)).ToHashSet();
        var ordinals = new Dictionary<long, int>();
        foreach (var (id, project, unpublished) in Query(
                     $"SELECT d.id, coalesce(a.project, ''), coalesce(a.published, 0) = 0 FROM {SearchIndex.AllAssets}_docsize d LEFT JOIN assets a ON a.id = d.id ORDER BY d.id",
                     r => (r.GetInt64(0), PooledString(r, 1), r.GetBoolean(2))))
            ordinals[id] = corpus.AddDocument(id, project, published.Contains(id), unpublished, 0);
        var lengths = new int[corpus.DocumentCount];
        // fts5vocab 'row' first: each term once with the number of documents holding it, so every term's postings are
        // allocated at their final size; then the instances, in the same term order. A term's text is read into a
        // reused buffer and compared as bytes: one string per term, not one per instance (7.3 million at 100k assets,
        // which left the process ~500 MB larger after the build).
        Execute($"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{SearchIndex.AllAssets}_rows USING fts5vocab(main, {SearchIndex.AllAssets}, 'row')");
        Execute($"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{SearchIndex.AllAssets}_instances USING fts5vocab(main, {SearchIndex.AllAssets}, 'instance')");
        var terms = Query($"SELECT term, doc FROM temp.{SearchIndex.AllAssets}_rows", r => (Term: r.GetString(0), Documents: r.GetInt32(1)));
        using var cmd = Command($"SELECT term, doc, {SearchTokenizer.WeightOfColumn} FROM temp.{SearchIndex.AllAssets}_instances");
        using var reader = cmd.ExecuteReader();
        var current = Array.Empty<byte>();
        var currentLength = -1;
        var buffer = new byte[256];
        var next = 0;
        SearchCorpus.Postings? postings = null;
        while (reader.Read())
        {
            var length = (int)reader.GetBytes(0, 0, null, 0, 0);
            if (length > buffer.Length) buffer = new byte[length * 2];
            reader.GetBytes(0, 0, buffer, 0, length);
            if (length != currentLength || !buffer.AsSpan(0, length).SequenceEqual(current.AsSpan(0, length)))
            {
                var term = System.Text.Encoding.UTF8.GetString(buffer, 0, length);
                // The row table lists the same terms in the same order; a term it lacks (a write between the two
                // statements cannot happen: one read transaction) would get postings that grow.
                while (next < terms.Count && string.CompareOrdinal(terms[next].Term, term) < 0) next++;
                var documents = next < terms.Count && terms[next].Term == term ? terms[next].Documents : 2;
                postings = corpus.AppendTerm(next < terms.Count && terms[next].Term == term ? terms[next].Term : term, documents);
                if (current.Length < length) current = new byte[buffer.Length];
                buffer.AsSpan(0, length).CopyTo(current);
                currentLength = length;
            }
            if (!ordinals.TryGetValue(reader.GetInt64(1), out var ordinal)) continue;
            postings!.Add(ordinal, reader.GetInt32(2));
            lengths[ordinal]++;
        }
        corpus.AddLengths(lengths);
    }

    /// <summary>One asset's row of the index of every asset, with what its scope depends on; null when it has none.</summary>
    public override (string[] Columns, string Project, bool InPublishedIndex, bool Unpublished)? SearchDocument(long assetId)
    {
        var rows = Query(
            $"SELECT coalesce(s.name, ''), coalesce(s.description, ''), coalesce(s.columns, ''), coalesce(s.terms, ''), coalesce(s.metadata, ''), coalesce(a.project, ''), " +
            $"EXISTS (SELECT 1 FROM {SearchIndex.PublishedAssets}_docsize p WHERE p.id = s.rowid), coalesce(a.published, 0) = 0 " +
            $"FROM {SearchIndex.AllAssets} s LEFT JOIN assets a ON a.id = s.rowid WHERE s.rowid = $i",
            r => (new[] { r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4) }, PooledString(r, 5), r.GetBoolean(6), r.GetBoolean(7)),
            ("$i", assetId));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The assets of <paramref name="hits"/> in the hits' order (one statement; a hit whose asset is gone is dropped).</summary>
    private List<(AssetRecord Asset, double Score)> WithAssets(List<(long AssetId, double Score)> hits)
    {
        if (hits.Count == 0) return [];
        var ids = "[" + string.Join(",", hits.Select(h => h.AssetId.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
        var assets = Query($"SELECT {AssetColumns} FROM assets WHERE id IN (SELECT value FROM json_each($ids))", MapAsset, ("$ids", ids)).ToDictionary(a => a.Id);
        return hits.Where(h => assets.ContainsKey(h.AssetId)).Select(h => (assets[h.AssetId], h.Score)).ToList();
    }
}
