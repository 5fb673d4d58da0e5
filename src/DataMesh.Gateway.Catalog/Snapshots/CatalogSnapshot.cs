using System.Collections.Immutable;
using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Snapshots;

/// <summary>
/// An immutable picture of the catalog at one version: who exists, who belongs where, which assets and grants exist.
/// Authentication and query-time authorisation read only this, never SQLite on their hot paths.
/// <list type="bullet">
/// <item>Users, groups, projects and memberships are held whole (loaded at start-up).</item>
/// <item>A project's assets and approved subscriptions form its partition, loaded on first use (or in the background,
/// <see cref="CatalogService.PreloadAsync"/>), read from the store at or after this snapshot's version.</item>
/// <item>A change makes a new snapshot from this one (<see cref="SnapshotPatcher"/>), sharing every part it did not
/// touch; per-project and per-user stamps tell caches what changed.</item>
/// </list>
/// </summary>
public sealed class CatalogSnapshot
{
    private readonly SnapshotMaps _maps;
    private readonly ISnapshotSource _source;

    internal CatalogSnapshot(long version, string maskSecret, SnapshotMaps maps, ISnapshotSource source)
    {
        Version = version;
        MaskSecret = maskSecret;
        _maps = maps;
        _source = source;
    }

    /// <summary>The change log position of the last change this snapshot reflects (changes to nothing it holds do not move it).</summary>
    public long Version { get; }

    /// <summary>The domain's key for the keyed-hash mask. Only the policy subqueries the gateway generates use it.</summary>
    public string MaskSecret { get; }

    internal SnapshotMaps Maps => _maps;

    internal ISnapshotSource Source => _source;

    /// <summary>
    /// The same catalog with one subscription as given (matched by id; held while approved): what the consumer's
    /// grants would be if it were stored so. Never published; the portal's preview of an approval computes the
    /// consumer's grants from it. Only the consumer's partition differs; every other part is shared.
    /// </summary>
    public CatalogSnapshot WithSubscription(SubscriptionRecord subscription)
    {
        if (!_maps.Projects.TryGetValue(subscription.ConsumerProject, out var entry)) return this;
        var partition = entry.Cell.Get(_source, subscription.ConsumerProject).WithSubscription(subscription);
        var projects = _maps.Projects.SetItem(subscription.ConsumerProject, entry with { Cell = new PartitionCell(partition) });
        return new CatalogSnapshot(Version, MaskSecret, _maps with { Projects = projects }, _source);
    }

    /// <summary>An account (its object-store connection, for reading assets on object stores).</summary>
    public AccountRecord? Account(string name) => _maps.Accounts.GetValueOrDefault(name);

    public UserRecord? User(string name) => _maps.Users.TryGetValue(name, out var u) ? u.Record : null;

    public bool IsDomainAdmin(string user) => _maps.Users.TryGetValue(user, out var u) && u.Record.IsDomainAdmin;

    public IReadOnlyList<string> GroupsOf(string user) => _maps.Users.TryGetValue(user, out var u) ? u.Groups : [];

    public bool GroupExists(string name) => _maps.Groups.ContainsKey(name);

    public ProjectRecord? Project(string name) => _maps.Projects.TryGetValue(name, out var p) ? p.Record : null;

    public IEnumerable<ProjectRecord> Projects => _maps.Projects.Values.Select(p => p.Record);

    /// <summary>
    /// Moves whenever what the project's queries may read could have changed (its grants, the assets they grant, its
    /// resources). Equal stamps: the project's grant set and engine instance are still right.
    /// </summary>
    public long PolicyStamp(string project) => _maps.Projects.TryGetValue(project, out var p) ? p.PolicyStamp : 0;

    /// <summary>
    /// Moves whenever the user's access to the project could have changed: the user (dropped, domain admin, groups) or
    /// the project's members. A session that kept its stamp needs no new membership check.
    /// </summary>
    public long AccessStamp(string user, string project) =>
        Math.Max(UserStamp(user), _maps.Projects.TryGetValue(project, out var p) ? p.MembersStamp : 0);

    /// <summary>Moves whenever the user's record or catalog groups change.</summary>
    public long UserStamp(string user) => _maps.Users.TryGetValue(user, out var u) ? u.Stamp : 0;

    /// <summary>The projects where the user has a role (directly, through a catalog group or a session group), by name.</summary>
    public IReadOnlyList<string> ProjectsOf(string user, IReadOnlyCollection<string>? sessionGroups = null)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        void Add(Principal principal)
        {
            if (_maps.ProjectsOfPrincipal.TryGetValue(principal, out var projects)) names.UnionWith(projects);
        }
        Add(new Principal(user, false));
        foreach (var group in GroupsOf(user)) Add(new Principal(group, true));
        foreach (var group in sessionGroups ?? []) Add(new Principal(group, true));
        return [.. names];
    }

    /// <summary>An asset by project and name (loads the owning project's partition on first use).</summary>
    public AssetRecord? Asset(string project, string name) => Partition(project)?.Asset(name);

    /// <summary>
    /// The assets of <paramref name="keys"/> (null where there is none), in the same order: from their owners'
    /// partitions where those are in memory, the rest by key in one read of the store, leaving their partitions unloaded.
    /// A consumer's grant set needs its 100 granted assets, not the 10,000 of their owners' partitions (bench/RESULTS.md,
    /// "Catalog at scale"). Read like a partition: at or after this snapshot's version.
    /// </summary>
    public IReadOnlyList<AssetRecord?> AssetsByKey(IReadOnlyList<(string Project, string Name)> keys)
    {
        var found = new AssetRecord?[keys.Count];
        var missing = new List<int>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (!_maps.Projects.TryGetValue(keys[i].Project, out var p)) continue; // no such project: no such asset
            if (p.Cell.Loaded is { } partition) found[i] = partition.Asset(keys[i].Name);
            else missing.Add(i);
        }
        if (missing.Count > 0)
        {
            var loaded = _source.LoadAssets(missing.Select(i => keys[i]).ToList());
            for (var j = 0; j < missing.Count; j++) found[missing[j]] = loaded[j];
        }
        return found;
    }

    /// <summary>The assets a project owns, by name.</summary>
    public IReadOnlyList<AssetRecord> AssetsOf(string project) => Partition(project)?.Assets ?? [];

    /// <summary>
    /// A consumer project's approved subscriptions (by stored status, so expired ones too), oldest first. Other
    /// subscriptions are not held in memory: read them from the store.
    /// </summary>
    public IReadOnlyList<SubscriptionRecord> SubscriptionsOf(string consumerProject) => Partition(consumerProject)?.Approved ?? [];

    /// <summary>The published assets of that name in any project, read from the store (error messages only).</summary>
    public IReadOnlyList<AssetRecord> PublishedAssetsNamed(string name) => _source.PublishedAssetsNamed(name);

    /// <summary>Every asset. Loads every partition: for tests and small catalogs, never on a request path.</summary>
    public IEnumerable<AssetRecord> Assets
    {
        get
        {
            Preload(_maps.Projects.Keys);
            return _maps.Projects.Values.SelectMany(p => p.Cell.Get(_source, p.Record.Name).Assets);
        }
    }

    /// <summary>True when the project's partition is in memory.</summary>
    public bool IsLoaded(string project) => _maps.Projects.TryGetValue(project, out var p) && p.Cell.Loaded is not null;

    /// <summary>Loads the partitions of <paramref name="projects"/> not loaded yet, in one read of the store.</summary>
    public void Preload(IEnumerable<string> projects)
    {
        var missing = new List<(string Name, PartitionCell Cell)>();
        foreach (var name in projects.Distinct(StringComparer.Ordinal))
            if (_maps.Projects.TryGetValue(name, out var p) && p.Cell.Loaded is null) missing.Add((name, p.Cell));
        if (missing.Count == 0) return;
        var loaded = _source.LoadPartitions(missing.Select(m => m.Name).ToList());
        for (var i = 0; i < missing.Count; i++) missing[i].Cell.Offer(loaded[i]);
    }

    /// <summary>The user's role in a project, directly or through a group; the strongest wins. Null: not a member.</summary>
    public MemberRole? RoleIn(string user, string project) => RoleIn(user, project, []);

    /// <summary>
    /// The role with <paramref name="sessionGroups"/> counted too: the groups a user's identity token maps to (they
    /// come from each token and are never stored as memberships, so a removed group stops counting at the next sign-in).
    /// </summary>
    public MemberRole? RoleIn(string user, string project, IReadOnlyCollection<string> sessionGroups)
    {
        if (!_maps.Projects.TryGetValue(project, out var p)) return null;
        var groups = GroupsOf(user);
        MemberRole? best = null;
        foreach (var m in p.Record.Members)
        {
            var applies = m.IsGroup ? groups.Contains(m.Principal) || sessionGroups.Contains(m.Principal) : m.Principal == user;
            if (applies && (best is null || m.Role > best)) best = m.Role;
        }
        return best;
    }

    private ProjectPartition? Partition(string project) =>
        _maps.Projects.TryGetValue(project, out var p) ? p.Cell.Get(_source, project) : null;
}
