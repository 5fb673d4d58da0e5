namespace DataMesh.Gateway.Catalog.Store.Search;

/// <summary>
/// SEARCH CATALOG's documents in memory: the FTS5 index's own terms (as its tokenizer produced them) with, per term,
/// the documents that hold it and their column-weighted term frequency, precomputed. A ranked top-N then costs one
/// pass over the matching postings and a bounded heap instead of FTS5 decoding every match's position lists and
/// calling bm25 per row through SQLite (≈ 50 ms for a word all 100,000 assets hold). Not thread-safe: its owner,
/// <see cref="SearchIndexFollower"/>, serialises every use.
/// </summary>
internal sealed class SearchCorpus
{
    /// <summary>One indexed asset (a row of the FTS5 tables; its ordinal is its position in the document list).</summary>
    internal struct Document
    {
        public long AssetId;
        public string Project;
        /// <summary>Held by the index of published assets (everyone's corpus).</summary>
        public bool InPublishedIndex;
        /// <summary>The asset row says unpublished: its project's members rank it among their own inventory.</summary>
        public bool Unpublished;
        /// <summary>Tokens in all columns (bm25's D).</summary>
        public int Length;
        public bool Alive;
    }

    /// <summary>A term's documents in ascending ordinal order and their weighted frequencies.</summary>
    internal sealed class Postings
    {
        public int[] Docs;
        public int[] Frequencies;
        public int Count;

        /// <param name="capacity">The documents that hold the term, when known (a bulk build): no growth, no garbage.</param>
        public Postings(int capacity = 2)
        {
            Docs = new int[Math.Max(1, capacity)];
            Frequencies = new int[Math.Max(1, capacity)];
        }

        public void Add(int doc, int frequency)
        {
            if (Count > 0 && Docs[Count - 1] == doc)
            {
                Frequencies[Count - 1] += frequency;
                return;
            }
            if (Count == Docs.Length)
            {
                Array.Resize(ref Docs, Count * 2);
                Array.Resize(ref Frequencies, Count * 2);
            }
            Docs[Count] = doc;
            Frequencies[Count] = frequency;
            Count++;
        }

        public void Trim()
        {
            Array.Resize(ref Docs, Count);
            Array.Resize(ref Frequencies, Count);
        }
    }

    private readonly List<Document> _documents = [];
    private readonly Dictionary<long, int> _ordinals = [];
    private readonly Dictionary<string, Postings> _postings = new(StringComparer.Ordinal);
    /// <summary>Every term in ordinal order: the terms a prefix matches are one range of it.</summary>
    private readonly List<string> _sortedTerms = [];
    private readonly Dictionary<string, (int Rows, long Tokens)> _inventoryByProject = new(StringComparer.Ordinal);
    private int _dead;

    public int AllRows { get; private set; }
    public long AllTokens { get; private set; }
    public int PublishedRows { get; private set; }
    public long PublishedTokens { get; private set; }
    public int LiveDocuments => _documents.Count - _dead;
    /// <summary>Ordinals run below this (removed documents keep theirs until a compaction).</summary>
    public int DocumentCount => _documents.Count;
    public int Terms => _postings.Count;

    public ref readonly Document DocumentAt(int ordinal) => ref System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_documents)[ordinal];

    /// <summary>Rows and tokens of the unpublished assets of <paramref name="project"/>.</summary>
    public (int Rows, long Tokens) Inventory(string project) => _inventoryByProject.GetValueOrDefault(project);

    /// <summary>
    /// Adds a document of <paramref name="length"/> tokens (replacing the asset's older one) and returns its ordinal;
    /// its terms follow through <see cref="AddTerm"/>.
    /// </summary>
    public int AddDocument(long assetId, string project, bool inPublishedIndex, bool unpublished, int length)
    {
        if (_ordinals.ContainsKey(assetId)) Remove(assetId);
        var ordinal = _documents.Count;
        _documents.Add(new Document { AssetId = assetId, Project = project, InPublishedIndex = inPublishedIndex, Unpublished = unpublished, Length = length, Alive = true });
        _ordinals[assetId] = ordinal;
        Count(ordinal, +1);
        return ordinal;
    }

    /// <summary>
    /// <paramref name="term"/> in the document at <paramref name="ordinal"/> with its column-weighted frequency; the
    /// document must be the newest one, so postings stay in ascending ordinal order.
    /// </summary>
    public void AddTerm(int ordinal, string term, int weight)
    {
        if (!_postings.TryGetValue(term, out var postings))
        {
            postings = new Postings();
            _postings.Add(term, postings);
            var at = _sortedTerms.BinarySearch(term, StringComparer.Ordinal);
            _sortedTerms.Insert(~at, term);
        }
        postings.Add(ordinal, weight);
    }

    /// <summary>During a bulk build, terms arrive in order: appends without the sorted insert.</summary>
    public Postings AppendTerm(string term, int documents)
    {
        var postings = new Postings(documents);
        _postings.Add(term, postings);
        _sortedTerms.Add(term);
        return postings;
    }

    /// <summary>After a bulk build: the document lengths the build counted go into the totals.</summary>
    public void AddLengths(int[] lengths)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_documents);
        for (var i = 0; i < span.Length; i++)
        {
            Count(i, -1);
            span[i].Length = lengths[i];
            Count(i, +1);
        }
        foreach (var postings in _postings.Values)
            if (postings.Count != postings.Docs.Length) postings.Trim();
        _sortedTerms.Sort(StringComparer.Ordinal);
    }

    public int? OrdinalOf(long assetId) => _ordinals.TryGetValue(assetId, out var ordinal) ? ordinal : null;

    public void Remove(long assetId)
    {
        if (!_ordinals.Remove(assetId, out var ordinal)) return;
        Count(ordinal, -1);
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_documents)[ordinal].Alive = false;
        _dead++;
        if (_dead > 1024 && _dead > _documents.Count / 8) Compact();
    }

    /// <summary>The terms that start with <paramref name="prefix"/> (FTS5's <c>"word"*</c>), with their postings.</summary>
    public IEnumerable<Postings> WithPrefix(string prefix)
    {
        var at = _sortedTerms.BinarySearch(prefix, StringComparer.Ordinal);
        for (var i = at < 0 ? ~at : at; i < _sortedTerms.Count && _sortedTerms[i].StartsWith(prefix, StringComparison.Ordinal); i++)
            yield return _postings[_sortedTerms[i]];
    }

    private void Count(int ordinal, int sign)
    {
        ref readonly var d = ref DocumentAt(ordinal);
        if (!d.Alive) return;
        AllRows += sign;
        AllTokens += sign * d.Length;
        if (d.InPublishedIndex)
        {
            PublishedRows += sign;
            PublishedTokens += sign * d.Length;
        }
        if (d.Unpublished)
        {
            var (rows, tokens) = _inventoryByProject.GetValueOrDefault(d.Project);
            rows += sign;
            tokens += sign * d.Length;
            if (rows == 0) _inventoryByProject.Remove(d.Project);
            else _inventoryByProject[d.Project] = (rows, tokens);
        }
    }

    /// <summary>Drops removed documents from the postings and renumbers the rest (order kept).</summary>
    private void Compact()
    {
        var renumber = new int[_documents.Count];
        var kept = new List<Document>(_documents.Count - _dead);
        for (var i = 0; i < _documents.Count; i++)
        {
            renumber[i] = _documents[i].Alive ? kept.Count : -1;
            if (_documents[i].Alive) kept.Add(_documents[i]);
        }
        foreach (var postings in _postings.Values)
        {
            var n = 0;
            for (var i = 0; i < postings.Count; i++)
            {
                var to = renumber[postings.Docs[i]];
                if (to < 0) continue;
                postings.Docs[n] = to;
                postings.Frequencies[n] = postings.Frequencies[i];
                n++;
            }
            postings.Count = n;
        }
        _documents.Clear();
        _documents.AddRange(kept);
        _ordinals.Clear();
        for (var i = 0; i < _documents.Count; i++) _ordinals[_documents[i].AssetId] = i;
        _dead = 0;
    }
}
