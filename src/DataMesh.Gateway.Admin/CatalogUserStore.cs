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
    public ScramVerifier? FindVerifier(string userName)
    {
        var user = catalog.Snapshot.User(userName);
        if (user is null && catalog.RefreshAfterMiss()) user = catalog.Snapshot.User(userName);
        return user?.Verifier is { } v ? ScramVerifier.Parse(v) : null;
    }

}
