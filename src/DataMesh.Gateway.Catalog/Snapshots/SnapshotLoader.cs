using System.Collections.Immutable;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Catalog.Snapshots;

/// <summary>
/// A whole snapshot from the store: users, groups, projects and their members (what sign-in and session start need),
/// with every project's partition left to load on first use. Used at start-up and when a follower must reload (an
/// "everything" change, or a follower further behind than the change log reaches).
/// </summary>
internal static class SnapshotLoader
{
    public static CatalogSnapshot Load(ICatalogReader reader, ISnapshotSource source)
    {
        var version = reader.Version;
        var groups = reader.Groups();
        var groupsOfUser = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var g in groups)
            foreach (var member in g.Members)
            {
                if (!groupsOfUser.TryGetValue(member, out var list)) groupsOfUser[member] = list = [];
                list.Add(g.Name);
            }

        var users = SnapshotMaps.NoUsers.ToBuilder();
        foreach (var u in reader.Users())
            users[u.Name] = new UserEntry(u, groupsOfUser.TryGetValue(u.Name, out var gs) ? [.. gs.Order(StringComparer.Ordinal)] : [], version);

        var projects = SnapshotMaps.NoProjects.ToBuilder();
        var principals = new Dictionary<Principal, List<string>>();
        foreach (var p in reader.Projects())
        {
            projects[p.Name] = new ProjectEntry(p, new PartitionCell(), version, version);
            foreach (var m in p.Members)
            {
                var key = new Principal(m.Principal, m.IsGroup);
                if (!principals.TryGetValue(key, out var list)) principals[key] = list = [];
                list.Add(p.Name);
            }
        }
        var ofPrincipal = SnapshotMaps.NoPrincipals.ToBuilder();
        foreach (var (principal, names) in principals) ofPrincipal[principal] = names.ToImmutableSortedSet(StringComparer.Ordinal);

        var maps = new SnapshotMaps(users.ToImmutable(), SnapshotMaps.NoGroups.AddRange(groups.Select(g => KeyValuePair.Create(g.Name, g))),
            projects.ToImmutable(), ofPrincipal.ToImmutable(), SnapshotMaps.NoAccounts.AddRange(reader.Accounts().Select(a => KeyValuePair.Create(a.Name, a))));
        return new CatalogSnapshot(version, reader.MaskSecret, maps, source);
    }
}

/// <summary>Partitions and by-name lookups read from the store, each call in one read transaction.</summary>
internal sealed class StoreSnapshotSource(ICatalogStore store) : ISnapshotSource
{
    private long _partitionsLoaded;

    /// <summary>How many partitions were read from the store (tests and benchmarks: lazy loading does happen, and only once).</summary>
    public long PartitionsLoaded => Interlocked.Read(ref _partitionsLoaded);

    public IReadOnlyList<ProjectPartition> LoadPartitions(IReadOnlyList<string> projects)
    {
        var partitions = store.Read(r => projects.Select(p => ProjectPartition.From(r.AssetsOf(p), r.ApprovedSubscriptionsOf(p))).ToList());
        Interlocked.Add(ref _partitionsLoaded, partitions.Count);
        return partitions;
    }

    public IReadOnlyList<AssetRecord> PublishedAssetsNamed(string name) => store.Read(r => r.PublishedAssetsNamed(name));

    private long _assetsLoaded;

    /// <summary>How many assets were read by key, without their partitions (a grant set's owners' assets).</summary>
    public long AssetsLoaded => Interlocked.Read(ref _assetsLoaded);

    public IReadOnlyList<AssetRecord?> LoadAssets(IReadOnlyList<(string Project, string Name)> keys)
    {
        var assets = store.Read(r => keys.Select(k => r.GetAsset(k.Project, k.Name)).ToList());
        Interlocked.Add(ref _assetsLoaded, assets.Count);
        return assets;
    }
}
