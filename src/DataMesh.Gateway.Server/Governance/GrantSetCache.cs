using System.Collections.Concurrent;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Policy.Grants;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// One <see cref="GrantSet"/> per project, recomputed when the project's policy stamp moves (a change to its own assets,
/// its approved subscriptions, the assets they grant or its resources: <see cref="CatalogSnapshot.PolicyStamp"/>) or
/// the earliest expiry among its subscriptions passes, so an expired grant stops counting at the next statement. A
/// change anywhere else in the catalog keeps every other project's set. Query-time authorisation reads only
/// snapshots, never SQLite.
/// </summary>
internal sealed class GrantSetCache(Func<string, string> serialize, TimeProvider time,
    Func<Catalog.Model.AssetRecord, IReadOnlyList<string>?>? objectFiles = null)
{
    private readonly ConcurrentDictionary<string, (long Stamp, GrantSet Set)> _sets = new(StringComparer.Ordinal);

    // Row filters are parsed (json_serialize_sql, ~0.5 ms each) to qualify their columns. Every catalog change starts
    // a new snapshot, after which each project's first session resolved its grants again and re-parsed every filter:
    // ~90 ms for a project with 100 filtered grants (bench/RESULTS.md, "A large catalog"). The parse depends on the
    // filter text alone, so it is remembered by text (bounded: cleared when full).
    private const int MaxRememberedParses = 20_000;
    private readonly ConcurrentDictionary<string, string> _parses = new(StringComparer.Ordinal);

    private string Serialize(string sql)
    {
        if (_parses.TryGetValue(sql, out var json)) return json;
        json = serialize(sql);
        if (_parses.Count >= MaxRememberedParses) _parses.Clear();
        _parses[sql] = json;
        return json;
    }

    public GrantSet For(CatalogSnapshot snapshot, string project)
    {
        var now = time.GetUtcNow();
        var stamp = snapshot.PolicyStamp(project);
        if (_sets.TryGetValue(project, out var cached) && cached.Stamp == stamp && now < cached.Set.ValidUntil)
        {
            cached.Set.Observe(snapshot); // its names and groups are looked up in the newest snapshot
            return cached.Set;
        }
        var fresh = GrantSet.For(snapshot, project, now, Serialize, objectFiles);
        _sets[project] = (stamp, fresh);
        return fresh;
    }
}
