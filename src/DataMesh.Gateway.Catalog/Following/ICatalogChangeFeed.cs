namespace DataMesh.Gateway.Catalog.Following;

/// <summary>
/// A channel on which a shared catalog announces each committed change as it commits (PostgreSQL LISTEN/NOTIFY, made by
/// DataMesh.Gateway.Catalog.Postgres): a node that listens catches up at once instead of at its next poll. The feed only
/// wakes the follower; what changed is always read from the change log, so a lost or repeated announcement costs
/// nothing but time.
/// </summary>
public interface ICatalogChangeFeed : IAsyncDisposable
{
    /// <summary>What the feed listens on, for logs and /health (such as <c>LISTEN datamesh_catalog_changes</c>).</summary>
    string Description { get; }

    /// <summary>(Re)opens the channel on a connection of its own; throws when the catalog cannot be reached.</summary>
    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for announcements: the highest position announced since the last call,
    /// or null when none came and the channel answered a heartbeat (the catalog is reachable). Throws when the channel
    /// dropped (the connection was closed or terminated, or the heartbeat failed).
    /// </summary>
    Task<long?> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
