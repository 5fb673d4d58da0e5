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
        return result;
    }

    public void Refresh() => Volatile.Write(ref _snapshot, Store.Read(CatalogSnapshot.Load));

    public void Dispose() => Store.Dispose();
}
