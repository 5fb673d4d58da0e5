using System.Collections.Frozen;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Catalog.Snapshots;

/// <summary>
/// An immutable picture of the catalog at one version: who exists, who belongs where, which assets and grants
/// exist. Authentication and (later) query-time authorisation read only this, never SQLite.
/// </summary>
public sealed class CatalogSnapshot
{
    private readonly FrozenDictionary<string, UserRecord> _users;
    private readonly FrozenDictionary<string, string[]> _groupsByUser;
    private readonly FrozenDictionary<string, ProjectRecord> _projects;
    private readonly FrozenSet<string> _groups;
    private readonly IReadOnlyList<GroupRecord> _groupRecords;
    private readonly FrozenDictionary<(string Project, string Name), AssetRecord> _assets;
    // Per-project indexes: session start resolves one project's grants, and with 100,000 assets and 1,000,000
    // subscriptions a scan of the whole lists cost ~130 ms a session (bench/RESULTS.md, "A large catalog").
    private readonly FrozenDictionary<string, AssetRecord[]> _assetsByProject;
    private readonly FrozenDictionary<string, SubscriptionRecord[]> _subscriptionsByConsumer;
    private readonly FrozenDictionary<string, AccountRecord> _accounts;

    private CatalogSnapshot(long version, string maskSecret, IEnumerable<UserRecord> users, IEnumerable<GroupRecord> groups,
        IEnumerable<ProjectRecord> projects, IEnumerable<AssetRecord> assets, IReadOnlyList<SubscriptionRecord> subscriptions,
        IEnumerable<AccountRecord> accounts)
    {
        _accounts = accounts.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
        Version = version;
        MaskSecret = maskSecret;
        _users = users.ToFrozenDictionary(u => u.Name, StringComparer.Ordinal);
        _groupRecords = groups.ToList();
        _groupsByUser = _groupRecords.SelectMany(g => g.Members.Select(m => (User: m, Group: g.Name)))
            .GroupBy(p => p.User).ToFrozenDictionary(g => g.Key, g => g.Select(p => p.Group).ToArray(), StringComparer.Ordinal);
        _projects = projects.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        _groups = _groupRecords.Select(g => g.Name).ToFrozenSet(StringComparer.Ordinal);
        _assets = assets.ToFrozenDictionary(a => (a.Project, a.Name));
        _assetsByProject = _assets.Values.GroupBy(a => a.Project, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        Subscriptions = subscriptions;
        _subscriptionsByConsumer = subscriptions.GroupBy(x => x.ConsumerProject, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(x => x.Id).ToArray(), StringComparer.Ordinal);
    }

    public long Version { get; }

    /// <summary>The domain's key for the keyed-hash mask. Only the policy subqueries the gateway generates use it.</summary>
    public string MaskSecret { get; }

    public IReadOnlyList<SubscriptionRecord> Subscriptions { get; }

    public static CatalogSnapshot Load(ICatalogReader reader) =>
        new(reader.Version, reader.MaskSecret, reader.Users(), reader.Groups(), reader.Projects(), reader.Assets(), reader.Subscriptions(), reader.Accounts());

    /// <summary>
    /// The same catalog with one subscription replaced (matched by id): what the grants would be if it were stored so.
    /// Never published; the portal's preview of an approval computes the consumer's grants from it.
    /// </summary>
    public CatalogSnapshot WithSubscription(SubscriptionRecord subscription) =>
        new(Version, MaskSecret, _users.Values, _groupRecords, _projects.Values, _assets.Values,
            Subscriptions.Select(s => s.Id == subscription.Id ? subscription : s).ToList(), _accounts.Values);

    public UserRecord? User(string name) => _users.GetValueOrDefault(name);

    public bool IsDomainAdmin(string user) => _users.TryGetValue(user, out var u) && u.IsDomainAdmin;

    public IReadOnlyList<string> GroupsOf(string user) => _groupsByUser.GetValueOrDefault(user) ?? [];

    public bool GroupExists(string name) => _groups.Contains(name);

    public ProjectRecord? Project(string name) => _projects.GetValueOrDefault(name);

    public IEnumerable<ProjectRecord> Projects => _projects.Values;

    public AssetRecord? Asset(string project, string name) => _assets.GetValueOrDefault((project, name));

    /// <summary>An account (its object-store connection, for reading assets on object stores).</summary>
    public AccountRecord? Account(string name) => _accounts.GetValueOrDefault(name);

    public IEnumerable<AssetRecord> Assets => _assets.Values;

    /// <summary>The assets a project owns.</summary>
    public IReadOnlyList<AssetRecord> AssetsOf(string project) => _assetsByProject.GetValueOrDefault(project) ?? [];

    /// <summary>A consumer project's subscriptions, any status, oldest first.</summary>
    public IReadOnlyList<SubscriptionRecord> SubscriptionsOf(string consumerProject) =>
        _subscriptionsByConsumer.GetValueOrDefault(consumerProject) ?? [];

    /// <summary>The user's role in a project, directly or through a group; the strongest wins. Null: not a member.</summary>
    public MemberRole? RoleIn(string user, string project) => RoleIn(user, project, []);

    /// <summary>
    /// The role with <paramref name="sessionGroups"/> counted too: the groups a user's identity token maps to (they
    /// come from each token and are never stored as memberships, so a removed group stops counting at the next sign-in).
    /// </summary>
    public MemberRole? RoleIn(string user, string project, IReadOnlyCollection<string> sessionGroups)
    {
        if (!_projects.TryGetValue(project, out var p)) return null;
        IReadOnlyCollection<string> groups = sessionGroups.Count == 0 ? GroupsOf(user) : GroupsOf(user).Concat(sessionGroups).ToHashSet(StringComparer.Ordinal);
        MemberRole? best = null;
        foreach (var m in p.Members)
        {
            var applies = m.IsGroup ? groups.Contains(m.Principal) : m.Principal == user;
            if (applies && (best is null || m.Role > best)) best = m.Role;
        }
        return best;
    }
}
