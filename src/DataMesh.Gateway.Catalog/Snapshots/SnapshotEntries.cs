using System.Collections.Immutable;
using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Snapshots;

/// <summary>
/// A user as a snapshot holds it: the record, the catalog groups it is in, and the position of the last change to
/// either (its access stamp: a session compares it, not the whole catalog's version).
/// </summary>
internal sealed record UserEntry(UserRecord Record, string[] Groups, long Stamp);

/// <summary>
/// A project as a snapshot holds it: the record with its members (loaded eagerly), its lazily loaded partition, and two
/// stamps: <see cref="MembersStamp"/> moves when its members change, <see cref="PolicyStamp"/> when anything its grants
/// or engine instance are derived from changes (its own assets, its approved subscriptions, the assets they grant,
/// its resources). Caches keyed by a project's stamp survive every change elsewhere in the catalog.
/// </summary>
internal sealed record ProjectEntry(ProjectRecord Record, PartitionCell Cell, long MembersStamp, long PolicyStamp);

/// <summary>A member of projects: a user (direct membership) or a group.</summary>
internal readonly record struct Principal(string Name, bool IsGroup);

/// <summary>The maps one snapshot is made of; the patcher edits them through builders and freezes them again.</summary>
internal sealed record SnapshotMaps(
    ImmutableDictionary<string, UserEntry> Users,
    ImmutableDictionary<string, GroupRecord> Groups,
    ImmutableDictionary<string, ProjectEntry> Projects,
    ImmutableDictionary<Principal, ImmutableSortedSet<string>> ProjectsOfPrincipal,
    ImmutableDictionary<string, AccountRecord> Accounts)
{
    public static readonly ImmutableDictionary<string, AccountRecord> NoAccounts = ImmutableDictionary.Create<string, AccountRecord>(StringComparer.Ordinal);
    public static readonly ImmutableDictionary<string, UserEntry> NoUsers = ImmutableDictionary.Create<string, UserEntry>(StringComparer.Ordinal);
    public static readonly ImmutableDictionary<string, GroupRecord> NoGroups = ImmutableDictionary.Create<string, GroupRecord>(StringComparer.Ordinal);
    public static readonly ImmutableDictionary<string, ProjectEntry> NoProjects = ImmutableDictionary.Create<string, ProjectEntry>(StringComparer.Ordinal);
    public static readonly ImmutableDictionary<Principal, ImmutableSortedSet<string>> NoPrincipals = ImmutableDictionary.Create<Principal, ImmutableSortedSet<string>>();
    public static readonly ImmutableSortedSet<string> NoNames = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
}
