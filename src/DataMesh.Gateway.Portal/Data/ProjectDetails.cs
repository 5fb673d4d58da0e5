using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Portal.Security;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Portal.Data;

/// <summary>Everything the project page shows; the member-only parts are null for others.</summary>
public sealed record ProjectView(
    ProjectRecord Project,
    MemberRole? Role,
    ProfileRecord? Profile,
    IReadOnlyList<IReadOnlyDictionary<string, string?>> Assets,
    IReadOnlyList<IReadOnlyDictionary<string, string?>>? Members,
    IReadOnlyDictionary<string, string>? Resources,
    IReadOnlyList<IReadOnlyDictionary<string, string?>>? Subscriptions,
    IReadOnlyList<string>? WorkspaceTables,
    PgErrorException? MembersOnly);

/// <summary>
/// The project page: what every user may know (description, profile and its blueprints, the assets they can see:
/// <c>SHOW ASSETS IN PROJECT</c>), and for members (directly, by group, by token group) what the SQL commands show
/// them: <c>SHOW MEMBERS OF PROJECT</c>, <c>SHOW SUBSCRIPTIONS FOR PROJECT</c>, the provisioned storage and repository
/// locations, and the workspace's tables as the project's own sessions list them (information_schema, queried as the
/// user in the project, governed and audited like any query).
/// </summary>
public sealed class ProjectDetails(PortalServices services, PortalSql sql)
{
    public async Task<ProjectView?> LoadAsync(PortalUser user, string name, CancellationToken ct)
    {
        var snapshot = services.Catalog.Snapshot;
        var project = snapshot.Project(name);
        if (project is null) return null;
        var role = snapshot.RoleIn(user.Name, name, user.Identity.TokenGroups);
        var profile = services.Catalog.Store.Read(r => r.GetProfile(project.Profile));
        var assets = await sql.AdminAsync(user, "SHOW ASSETS IN PROJECT " + SqlText.Name(name), ct).ConfigureAwait(false);
        var members = await sql.AdminAsync(user, "SHOW MEMBERS OF PROJECT " + SqlText.Name(name), ct).ConfigureAwait(false);
        if (members.Error is { SqlState: SqlState.InsufficientPrivilege } refused)
            return new ProjectView(project, role, profile, assets.Rows.ToList(), null, null, null, null, refused);
        if (members.Error is { } error) throw error;

        var subscriptions = await sql.AdminOrThrowAsync(user, "SHOW SUBSCRIPTIONS FOR PROJECT " + SqlText.Name(name), ct).ConfigureAwait(false);
        IReadOnlyList<string>? tables = null;
        if (project.Resources.ContainsKey("workspace") && role is not null)
        {
            var listed = await sql.RunAsync(user, name,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'workspace' ORDER BY table_name", 10_000, ct).ConfigureAwait(false);
            tables = listed.Ok ? listed.Result.Rows.Select(r => r[0] ?? "").ToList() : [];
        }
        return new ProjectView(project, role, profile, assets.Rows.ToList(), members.Rows.ToList(), project.Resources,
            subscriptions.Rows.ToList(), tables, null);
    }
}
