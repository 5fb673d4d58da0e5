using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Catalog;

/// <summary>
/// The catalog as the rest of the gateway sees it: the store for commands, and the current immutable snapshot,
/// swapped atomically after every committed change.
/// </summary>
public sealed class CatalogService : IDisposable
{
    private CatalogSnapshot _snapshot;

    public CatalogService(ICatalogStore store)
    {
        Store = store;
        _snapshot = store.Read(CatalogSnapshot.Load);
    }

    public ICatalogStore Store { get; }

    public CatalogSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Runs a change in one transaction and publishes the new snapshot once it has committed.</summary>
    public T Change<T>(Func<ICatalogWriter, T> work)
    {
        var result = Store.Write(work);
        Refresh();
        Changed?.Invoke();
        return result;
    }

    /// <summary>
    /// Raised after every change committed through this service (its new snapshot is already published): followers of
    /// the event table (LISTEN, webhooks) look for new events then instead of waiting for their next poll.
    /// </summary>
    public event Action? Changed;

    private long _lastMissRefreshTicks;

    /// <summary>
    /// For a lookup that missed in the snapshot (a user, project or membership another process may just have added):
    /// refreshes from the store at most once a second, so misses cannot hammer SQLite. True when it refreshed.
    /// </summary>
    public bool RefreshAfterMiss()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastMissRefreshTicks);
        if (now - last < 1000 || Interlocked.CompareExchange(ref _lastMissRefreshTicks, now, last) != last) return false;
        Refresh();
        return true;
    }

    /// <summary>Publishes the store's current state; a slower refresh never replaces a newer snapshot.</summary>
    public void Refresh()
    {
        var fresh = Store.Read(CatalogSnapshot.Load);
        while (true)
        {
            var current = Volatile.Read(ref _snapshot);
            if (current.Version >= fresh.Version) return;
            if (Interlocked.CompareExchange(ref _snapshot, fresh, current) == current) return;
        }
    }

    public void Dispose() => Store.Dispose();
}
