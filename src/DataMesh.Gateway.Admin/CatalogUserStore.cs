using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Catalog;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Authentication reads users from the catalog snapshot (never from SQLite on the hot path). When a name is missing,
/// the snapshot is refreshed at most once a second, so users added by another process (datamesh user add) appear
/// without a restart.
/// </summary>
public sealed class CatalogUserStore(CatalogService catalog) : IUserStore
{
    private long _lastRefreshTicks;

    public ScramVerifier? FindVerifier(string userName)
    {
        var user = catalog.Snapshot.User(userName);
        if (user is null && TryRefresh()) user = catalog.Snapshot.User(userName);
        return user?.Verifier is { } v ? ScramVerifier.Parse(v) : null;
    }

    private bool TryRefresh()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastRefreshTicks);
        if (now - last < 1000 || Interlocked.CompareExchange(ref _lastRefreshTicks, now, last) != last) return false;
        catalog.Refresh();
        return true;
    }
}
