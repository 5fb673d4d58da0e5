using System.Collections.Concurrent;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Policy.Grants;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// One <see cref="GrantSet"/> per project and catalog snapshot, recomputed when the snapshot changes or the earliest
/// expiry among its subscriptions passes, so an expired grant stops counting at the next statement. Query-time
/// authorisation reads only snapshots, never SQLite.
/// </summary>
internal sealed class GrantSetCache(Func<string, string> serialize, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, GrantSet> _sets = new(StringComparer.Ordinal);

    public GrantSet For(CatalogSnapshot snapshot, string project)
    {
        var now = time.GetUtcNow();
        if (_sets.TryGetValue(project, out var cached) && cached.Version == snapshot.Version && now < cached.ValidUntil)
            return cached;
        var fresh = GrantSet.For(snapshot, project, now, serialize);
        _sets[project] = fresh;
        return fresh;
    }
}
