using DataMesh.Gateway.Catalog.Following;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Catalog;

/// <summary>
/// The catalog as the rest of the gateway sees it: the store for commands, and the current immutable snapshot. After
/// every committed change, and whenever another process's writes appear in the change log, the snapshot is patched
/// from the previous one (<see cref="SnapshotPatcher"/>); it is loaded whole only at start-up, or when the log says
/// everything changed or no longer reaches back to this snapshot. Nothing here reloads because a lookup missed.
/// </summary>
public sealed class CatalogService : IDisposable
{
    /// <summary>How many writes one catch-up applies at most before it publishes (and goes on).</summary>
    private const int BatchLimit = 1000;

    private readonly StoreSnapshotSource _source;
    private readonly Lock _patchGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private CatalogSnapshot? _snapshot;
    private long _position;
    private long _fullLoads;
    private long _patches;
    private long _compactions;
    private CatalogFollower? _follower;

    /// <param name="load">False: the snapshot is loaded later by <see cref="Load"/> (a server opens its port first).</param>
    public CatalogService(ICatalogStore store, bool load = true)
    {
        Store = store;
        _source = new StoreSnapshotSource(store);
        if (load) Load();
    }

    public ICatalogStore Store { get; }

    /// <summary>The snapshot; throws until <see cref="Load"/> ran.</summary>
    public CatalogSnapshot Snapshot => Volatile.Read(ref _snapshot) ?? throw new InvalidOperationException("the catalog is not loaded yet");

    public bool IsLoaded => Volatile.Read(ref _snapshot) is not null;

    /// <summary>The change log position applied last (writes that touched nothing in the snapshot included).</summary>
    public long Position => Interlocked.Read(ref _position);

    /// <summary>How many times the snapshot was read whole from the store (start-up counts one).</summary>
    public long FullLoads => Interlocked.Read(ref _fullLoads);

    /// <summary>How many times the snapshot was patched from change log entries.</summary>
    public long Patches => Interlocked.Read(ref _patches);

    /// <summary>How many project partitions were read from the store.</summary>
    public long PartitionsLoaded => _source.PartitionsLoaded;

    /// <summary>Assets read by key without their partitions (<see cref="CatalogSnapshot.AssetsByKey"/>).</summary>
    public long AssetsLoaded => _source.AssetsLoaded;

    /// <summary>
    /// Raised after every change committed through this service (its snapshot already caught up): followers of the
    /// event table (LISTEN) look for new events then instead of waiting for their next poll.
    /// </summary>
    public event Action? Changed;

    /// <summary>
    /// After a new snapshot is published: the projects whose grants or engine inputs may have changed (all of them after
    /// a reload, then <c>Reloaded</c> is true). Handlers run on the publishing thread and must be quick.
    /// </summary>
    public event Action<SnapshotUpdate>? Published;

    /// <summary>Users, groups, projects and memberships, read whole; partitions load on first use. Idempotent.</summary>
    public void Load()
    {
        lock (_patchGate)
        {
            if (_snapshot is not null) return;
            var snapshot = Store.Read(r => SnapshotLoader.Load(r, _source));
            Interlocked.Increment(ref _fullLoads);
            Interlocked.Exchange(ref _position, snapshot.Version);
            Volatile.Write(ref _snapshot, snapshot);
        }
    }

    /// <summary>Runs a change in one transaction and publishes the patched snapshot once it has committed.</summary>
    public T Change<T>(Func<ICatalogWriter, T> work)
    {
        var result = Store.Write(work);
        CatchUp();
        Changed?.Invoke();
        return result;
    }

    /// <summary>Applies what the change log holds past <see cref="Position"/>. True when a new snapshot was published.</summary>
    public bool CatchUp()
    {
        if (!IsLoaded) return false;
        var published = false;
        lock (_patchGate)
        {
            while (true)
            {
                var current = _snapshot!;
                var position = _position;
                var (update, last, more) = Store.Read(r =>
                {
                    if (r.Version <= position) return ((SnapshotUpdate?)null, position, false);
                    // A follower older than the log's oldest entry cannot patch: it reads everything again.
                    if (r.OldestChange > position + 1)
                    {
                        var reloaded = SnapshotLoader.Load(r, _source);
                        return (new SnapshotUpdate(reloaded, true, true, []), reloaded.Version, false);
                    }
                    var batches = r.ChangesSince(position, BatchLimit);
                    if (batches.Count == 0) return (null, r.Version, false);
                    return (SnapshotPatcher.Apply(current, batches, r), batches[^1].Position, batches.Count == BatchLimit);
                });
                Interlocked.Exchange(ref _position, last);
                if (update is { Changed: true })
                {
                    Interlocked.Increment(ref update.Reloaded ? ref _fullLoads : ref _patches);
                    Volatile.Write(ref _snapshot, update.Snapshot);
                    published = true;
                    Published?.Invoke(update);
                }
                if (!more) return published;
            }
        }
    }

    /// <summary>Compatibility name for <see cref="CatchUp"/>: brings the snapshot up to the store.</summary>
    public void Refresh() => CatchUp();

    /// <summary>
    /// Follows the change log written by other processes (another gateway on the same catalog, <c>datamesh user add</c>)
    /// in the background, so their writes appear without a request ever waiting for them: by the catalog's change
    /// announcements when <paramref name="feed"/> is given (a shared PostgreSQL catalog), else by reading the version
    /// every <paramref name="interval"/> (<see cref="CatalogFollower"/>).
    /// </summary>
    /// <param name="shared">A catalog other nodes share (PostgreSQL), followed by polling when <paramref name="feed"/> is null.</param>
    public CatalogFollower StartFollowing(TimeSpan interval, ICatalogChangeFeed? feed = null, bool shared = false, TimeProvider? time = null,
        Action<string>? warn = null, Action<string>? inform = null, TimeSpan? listenRetry = null)
    {
        lock (_patchGate)
            return _follower ??= new CatalogFollower(this, feed, shared, interval, time ?? TimeProvider.System, warn ?? (_ => { }), inform ?? (_ => { }), listenRetry);
    }

    /// <summary>The background follower, once <see cref="StartFollowing"/> ran.</summary>
    public CatalogFollower? Follower => Volatile.Read(ref _follower);

    /// <summary>Compacting collections after a completed <see cref="PreloadAsync"/> (one per completed preload).</summary>
    public long PreloadCompactions => Interlocked.Read(ref _compactions);

    /// <summary>
    /// Loads every project's partition not loaded yet, a few projects per read, on a background thread (sessions never
    /// wait for it: a partition they need first is loaded on demand), then the search corpus, then compacts the heap once.
    /// Returns when everything is loaded or on stop.
    /// </summary>
    public Task PreloadAsync(int projectsPerRead = 64) => Task.Factory.StartNew(() =>
    {
        // Passes over the project names until one finds nothing to load: a change may leave a fresh, unloaded partition
        // behind a pass (SnapshotPatcher), which the next pass picks up.
        var loadedAny = true;
        while (loadedAny && !_stopping.IsCancellationRequested)
        {
            loadedAny = false;
            foreach (var chunk in Snapshot.Projects.Select(p => p.Name).ToList().Chunk(projectsPerRead))
            {
                if (_stopping.IsCancellationRequested) return;
                var snapshot = Snapshot;
                var missing = chunk.Where(p => !snapshot.IsLoaded(p)).ToList();
                if (missing.Count == 0) continue;
                snapshot.Preload(missing);
                loadedAny = true;
                Thread.Yield();
            }
        }
        // Then the search corpus: built after the partitions, so it does not compete with them or the first sessions.
        if (_stopping.IsCancellationRequested) return;
        Store.PrepareSearch();
        // The load's garbage (rows, readers, JSON texts, the corpus's temporaries) survived into gen2 and the collector
        // kept its memory committed: at 100k assets / 1M grants 1.1 GB of gen2 + LOH for 650 MB live, idle RSS 1.2 GB
        // (bench/NOTES.md). One compacting collection that gives free memory back to the OS, once, when the load ends.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Increment(ref _compactions);
    }, _stopping.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose()
    {
        _stopping.Cancel();
        _follower?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Store.Dispose();
    }
}
