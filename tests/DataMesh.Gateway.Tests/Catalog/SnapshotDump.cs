using System.Text;
using System.Text.Json;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Snapshots;

namespace DataMesh.Gateway.Tests.Catalog;

/// <summary>
/// A snapshot as text, every record in full (JSON), so two snapshots compare field by field: users with their groups,
/// accounts, groups, projects with their members, and the partitions of the projects <c>include</c> selects (their assets and
/// approved subscriptions). Reading a partition loads it when it is not loaded.
/// </summary>
internal static class SnapshotDump
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static string Of(CatalogSnapshot snapshot, Func<string, bool> include)
    {
        var text = new StringBuilder();
        text.Append("mask ").AppendLine(snapshot.MaskSecret);
        foreach (var (name, user) in snapshot.Maps.Users.OrderBy(u => u.Key, StringComparer.Ordinal))
            text.Append("user ").Append(name).Append(' ').Append(JsonSerializer.Serialize(user.Record, Json)).Append(" groups ").AppendJoin(",", user.Groups).AppendLine();
        foreach (var (name, account) in snapshot.Maps.Accounts.OrderBy(a => a.Key, StringComparer.Ordinal))
            text.Append("account ").Append(name).Append(' ').AppendLine(JsonSerializer.Serialize(account, Json));
        foreach (var (name, group) in snapshot.Maps.Groups.OrderBy(g => g.Key, StringComparer.Ordinal))
            text.Append("group ").Append(name).Append(' ').AppendLine(JsonSerializer.Serialize(group, Json));
        foreach (var (name, project) in snapshot.Maps.Projects.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("project ").Append(name).Append(' ').AppendLine(JsonSerializer.Serialize(project.Record, Json));
            if (include(name)) text.Append(Partition(snapshot, name));
        }
        foreach (var (principal, projects) in snapshot.Maps.ProjectsOfPrincipal.OrderBy(p => p.Key.Name, StringComparer.Ordinal).ThenBy(p => p.Key.IsGroup))
            text.Append("member ").Append(principal.IsGroup ? "group " : "user ").Append(principal.Name).Append(" of ").AppendJoin(",", projects).AppendLine();
        return text.ToString();
    }

    public static string Partition(CatalogSnapshot snapshot, string project)
    {
        var text = new StringBuilder();
        foreach (var asset in snapshot.AssetsOf(project))
            text.Append("  asset ").AppendLine(JsonSerializer.Serialize(asset, Json));
        foreach (var subscription in snapshot.SubscriptionsOf(project))
            text.Append("  approved ").AppendLine(JsonSerializer.Serialize(subscription, Json));
        return text.ToString();
    }

    /// <summary>
    /// Everything a project's grant set and engine instance are derived from: its resources, its account, its own assets, its
    /// approved subscriptions and the assets they name. When this changes, the project's policy stamp must move.
    /// </summary>
    public static string PolicyInputs(CatalogSnapshot snapshot, string project)
    {
        var record = snapshot.Project(project);
        var text = new StringBuilder(JsonSerializer.Serialize(record?.Resources, Json)).Append(record?.StoragePrefix).AppendLine();
        text.AppendLine(JsonSerializer.Serialize(record is null ? null : snapshot.Account(record.Account), Json));
        text.Append(Partition(snapshot, project));
        foreach (var s in snapshot.SubscriptionsOf(project))
            text.Append("  grants ").AppendLine(JsonSerializer.Serialize(snapshot.Asset(s.AssetProject, s.AssetName), Json));
        return text.ToString();
    }

    /// <summary>Every user's role in every project, and whether they are domain admins.</summary>
    public static Dictionary<(string User, string Project), MemberRole?> Roles(CatalogSnapshot snapshot)
    {
        var roles = new Dictionary<(string, string), MemberRole?>();
        foreach (var user in snapshot.Maps.Users.Keys)
            foreach (var project in snapshot.Maps.Projects.Keys)
                roles[(user, project)] = snapshot.RoleIn(user, project);
        return roles;
    }
}
