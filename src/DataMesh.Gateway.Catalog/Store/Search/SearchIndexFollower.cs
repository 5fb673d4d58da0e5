namespace DataMesh.Gateway.Catalog.Store.Search;

/// <summary>
/// Keeps a <see cref="SearchCorpus"/> in step with the catalog's FTS5 index. Built once in the background (from the
/// index's own terms, fts5vocab), then patched from the change log before each search, in the search's own read
/// transaction: an asset the log names is read again from the index (the log says what changed, not how), a bulk
/// change rebuilds. Until the corpus is there (start-up, a rebuild), or when it cannot answer exactly (a word FTS5 would
/// not make one token), the search asks FTS5 as before: both give the same hits and scores (SearchCorpusTests).
/// </summary>
internal sealed class SearchIndexFollower : IDisposable
{
    private readonly object _gate = new();
    private readonly Action<Action<CatalogSession>> _read;
    private readonly SearchTokenizer _tokenizer = new();
    private SearchCorpus? _corpus;
    private long _position;
    private Task? _building;
    private long _ranked;
    private long _fellBack;
    private long _builds;

    /// <param name="read">Runs work in a read transaction of the catalog (the store's <c>Read</c>).</param>
    public SearchIndexFollower(Action<Action<CatalogSession>> read) => _read = read;

    /// <summary>Searches the corpus answered.</summary>
    public long Ranked => Interlocked.Read(ref _ranked);

    /// <summary>Searches FTS5 answered (no corpus yet, or a word the corpus cannot fold exactly).</summary>
    public long FellBack => Interlocked.Read(ref _fellBack);

    /// <summary>Full builds of the corpus (the first, and one per bulk change).</summary>
    public long Builds => Interlocked.Read(ref _builds);

    /// <summary>Starts the build in the background if there is no corpus and none is under way.</summary>
    public Task Prepare()
    {
        lock (_gate)
        {
            if (_corpus is not null) return Task.CompletedTask;
            return _building ??= Task.Factory.StartNew(Build, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// The hits of <paramref name="words"/> in <paramref name="scope"/>, best first, as FTS5 would rank them; false when
    /// the caller must ask FTS5 (the corpus is not built yet, or cannot answer these words exactly).
    /// </summary>
    public bool TryRank(CatalogSession session, IReadOnlyList<string> words, SearchScope scope, int limit, out List<(long AssetId, double Score)> hits)
    {
        hits = [];
        lock (_gate)
        {
            if (!CatchUp(session))
            {
                Interlocked.Increment(ref _fellBack);
                return false;
            }
            var prefixes = new List<string>(words.Count);
            foreach (var word in words)
            {
                if (_tokenizer.Fold(word) is not { } prefix)
                {
                    Interlocked.Increment(ref _fellBack);
                    return false;
                }
                prefixes.Add(prefix);
            }
            hits = SearchRanking.Rank(_corpus!, prefixes, scope.Everything ? RankScope.All : RankScope.Published, limit);
            if (!scope.Everything && scope.InventoryProjects.Count > 0)
            {
                // Their own inventory is ranked among itself only, then merged by score (published hits first on ties).
                var inventory = SearchRanking.Rank(_corpus!, prefixes, RankScope.InventoryOf(scope.InventoryProjects), limit);
                if (inventory.Count > 0) hits = hits.Concat(inventory).OrderBy(h => h.Score).Take(limit).ToList();
            }
        }
        Interlocked.Increment(ref _ranked);
        return true;
    }

    /// <summary>Applies the change log up to the session's version; false (and a rebuild started) when it cannot.</summary>
    private bool CatchUp(CatalogSession session)
    {
        if (_corpus is null)
        {
            _building ??= Task.Factory.StartNew(Build, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return false;
        }
        var version = session.Version;
        while (_position < version)
        {
            var oldest = session.OldestChange;
            var batches = session.ChangesSince(_position, 256);
            if (batches.Count == 0 || oldest > _position + 1) return Rebuild(); // the log no longer reaches back to us
            foreach (var batch in batches)
            {
                foreach (var change in batch.Changes)
                {
                    if (change.Kind == ChangeKinds.Everything) return Rebuild();
                    if (change.Kind == ChangeKinds.Asset) Reindex(session, long.Parse(change.Key, System.Globalization.CultureInfo.InvariantCulture));
                }
                _position = batch.Position;
            }
        }
        return true;
    }

    private void Reindex(CatalogSession session, long assetId)
    {
        var corpus = _corpus!;
        corpus.Remove(assetId);
        if (session.SearchDocument(assetId) is not { } document) return;
        var (terms, length) = _tokenizer.Tokenize(document.Columns);
        var ordinal = corpus.AddDocument(assetId, document.Project, document.InPublishedIndex, document.Unpublished, length);
        foreach (var (term, weight) in terms) corpus.AddTerm(ordinal, term, weight);
    }

    private bool Rebuild()
    {
        _corpus = null;
        _building ??= Task.Factory.StartNew(Build, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return false;
    }

    private void Build()
    {
        try
        {
            var corpus = new SearchCorpus();
            long position = 0;
            _read(session =>
            {
                corpus = new SearchCorpus(); // a retried read starts over
                position = session.Version;
                session.ScanSearchIndex(corpus);
            });
            lock (_gate)
            {
                _corpus = corpus;
                _position = position;
            }
            Interlocked.Increment(ref _builds);
        }
        finally
        {
            lock (_gate) _building = null;
        }
    }

    public void Dispose()
    {
        lock (_gate) _tokenizer.Dispose();
    }
}
