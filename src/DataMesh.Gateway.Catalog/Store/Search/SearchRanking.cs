using System.Buffers;

namespace DataMesh.Gateway.Catalog.Store.Search;

/// <summary>Whose documents a ranking counts: everything, the published index, or some projects' own inventory.</summary>
internal readonly record struct RankScope(RankScope.Kinds Kind, IReadOnlySet<string>? Projects)
{
    internal enum Kinds { All, Published, Inventory }

    public static readonly RankScope All = new(Kinds.All, null);
    public static readonly RankScope Published = new(Kinds.Published, null);

    public static RankScope InventoryOf(IEnumerable<string> projects) => new(Kinds.Inventory, projects.ToHashSet(StringComparer.Ordinal));

    public bool Holds(in SearchCorpus.Document d) => d.Alive && Kind switch
    {
        Kinds.All => true,
        Kinds.Published => d.InPublishedIndex,
        _ => d.Unpublished && Projects!.Contains(d.Project),
    };

    public (int Rows, long Tokens) Totals(SearchCorpus corpus)
    {
        if (Kind == Kinds.All) return (corpus.AllRows, corpus.AllTokens);
        if (Kind == Kinds.Published) return (corpus.PublishedRows, corpus.PublishedTokens);
        var (rows, tokens) = (0, 0L);
        foreach (var project in Projects!)
        {
            var (r, t) = corpus.Inventory(project);
            rows += r;
            tokens += t;
        }
        return (rows, tokens);
    }
}

/// <summary>
/// FTS5's bm25 (fts5_aux.c) over a <see cref="SearchCorpus"/>, to the bit: the same statistics of the same index (rows,
/// tokens, matching rows per phrase), the same weights and the same arithmetic in the same order, so a score here is the
/// double FTS5 returns. Ties keep FTS5's order (ascending rowid, the asset id). The best <c>limit</c> are kept in a
/// bounded heap while the postings are scored, never sorted whole.
/// </summary>
internal static class SearchRanking
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    /// <summary>The hits of the OR of <paramref name="prefixes"/> (each a folded prefix term), best first.</summary>
    public static List<(long AssetId, double Score)> Rank(SearchCorpus corpus, IReadOnlyList<string> prefixes, RankScope scope, int limit)
    {
        var (rows, tokens) = scope.Totals(corpus);
        if (rows == 0 || prefixes.Count == 0 || limit <= 0) return [];
        var documents = corpus.DocumentCount;
        var frequencies = new int[prefixes.Count][];
        var marked = ArrayPool<bool>.Shared.Rent(documents);
        try
        {
            Array.Clear(marked, 0, documents);
            var candidates = new List<int>();
            var idf = new double[prefixes.Count];
            for (var i = 0; i < prefixes.Count; i++)
            {
                var f = frequencies[i] = ArrayPool<int>.Shared.Rent(documents);
                Array.Clear(f, 0, documents);
                var hits = 0L;
                foreach (var postings in corpus.WithPrefix(prefixes[i]))
                {
                    for (var p = 0; p < postings.Count; p++)
                    {
                        var doc = postings.Docs[p];
                        if (!scope.Holds(in corpus.DocumentAt(doc))) continue;
                        if (f[doc] == 0)
                        {
                            hits++;
                            if (!marked[doc])
                            {
                                marked[doc] = true;
                                candidates.Add(doc);
                            }
                        }
                        f[doc] += postings.Frequencies[p];
                    }
                }
                // fts5Bm25GetData: idf = log((nRow - nHit + 0.5) / (nHit + 0.5)), floored at 1e-6.
                var value = Math.Log((rows - hits + 0.5) / (hits + 0.5));
                idf[i] = value <= 0.0 ? 1e-6 : value;
            }
            return Best(corpus, candidates, frequencies, idf, (double)tokens / rows, limit);
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(marked);
            foreach (var f in frequencies)
                if (f is not null) ArrayPool<int>.Shared.Return(f);
        }
    }

    /// <summary>fts5Bm25Function per candidate, the best <paramref name="limit"/> kept in a heap whose top is the worst.</summary>
    private static List<(long AssetId, double Score)> Best(SearchCorpus corpus, List<int> candidates, int[][] frequencies, double[] idf, double avgdl, int limit)
    {
        var best = new PriorityQueue<(double Score, long Id), (double Score, long Id)>(limit + 1, WorstFirst.Instance);
        foreach (var doc in candidates)
        {
            ref readonly var document = ref corpus.DocumentAt(doc);
            var d = (double)document.Length;
            var score = 0.0;
            for (var i = 0; i < idf.Length; i++)
            {
                var f = (double)frequencies[i][doc];
                score += idf[i] * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * d / avgdl)));
            }
            var hit = (-1.0 * score, document.AssetId);
            if (best.Count < limit) best.Enqueue(hit, hit);
            else if (WorstFirst.Instance.Compare(hit, best.Peek()) > 0) best.DequeueEnqueue(hit, hit);
        }
        var result = new List<(long AssetId, double Score)>(best.Count);
        while (best.Count > 0)
        {
            var (score, id) = best.Dequeue();
            result.Add((id, score));
        }
        result.Reverse();
        return result;
    }

    /// <summary>Orders the heap so its top is the worst kept hit: higher score (worse bm25), then higher asset id.</summary>
    private sealed class WorstFirst : IComparer<(double Score, long Id)>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare((double Score, long Id) x, (double Score, long Id) y)
        {
            var byScore = y.Score.CompareTo(x.Score);
            return byScore != 0 ? byScore : y.Id.CompareTo(x.Id);
        }
    }
}
