using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Auth;

/// <summary>
/// Keeps an open session's membership in step with the catalog, as a revoked grant already is: at the next statement
/// after REMOVE MEMBER, a role change, a group change (catalog groups, or the project membership of a group the
/// session's identity token carries) or DROP USER, the session has exactly the access it would get by signing in now.
/// No role in the project: every statement is 42501 with the hint startup gives (the session stays open, and works
/// again if the membership comes back). Another role: the session takes it, so a downgraded owner or contributor loses
/// workspace writes at once (admin commands check the catalog's role themselves). The user dropped: FATAL 42501, since
/// nothing the session could send would ever be allowed again, and a user created later under the same name is not it.
/// One per connection. Cheap: a version compare per statement; the role is looked up only when the catalog changed.
/// </summary>
internal sealed class SessionMembership
{
    private readonly CatalogService _catalog;
    private readonly DateTimeOffset? _userCreatedAt;
    private long _checkedVersion;

    public SessionMembership(CatalogService catalog, Session session)
    {
        _catalog = catalog;
        var snapshot = catalog.Snapshot;
        _userCreatedAt = snapshot.User(session.UserName)?.CreatedAt;
        _checkedVersion = snapshot.Version;
    }

    /// <summary>Before a statement message: throws when the session may no longer run it, updates its role when it changed.</summary>
    public void Check(Session session, byte messageType)
    {
        if (messageType is not (FrontendMessageType.Query or FrontendMessageType.Parse or FrontendMessageType.Bind
            or FrontendMessageType.Execute or FrontendMessageType.Describe or FrontendMessageType.FunctionCall)) return;
        var snapshot = _catalog.Snapshot;
        if (snapshot.Version == _checkedVersion) return;

        var user = snapshot.User(session.UserName);
        if (user is null || (_userCreatedAt is { } created && user.CreatedAt != created))
            throw new PgErrorException(SqlState.InsufficientPrivilege, $"terminating connection because user \"{session.UserName}\" no longer exists",
                PgErrorSeverity.Fatal, detail: "A domain admin dropped the user while this session was open.");
        var access = session.Access;
        if (!access.IsHome)
        {
            var role = snapshot.RoleIn(access.User, access.Project, access.Identity.TokenGroups);
            if (role is null) throw NoLongerMember(access);
            if (role != access.Role) session.Access = access with { Role = role };
        }
        // Remembered only once allowed: a session without a role is refused again at every statement until it has one.
        _checkedVersion = snapshot.Version;
    }

    private static PgErrorException NoLongerMember(ProjectAccess access) => new(SqlState.InsufficientPrivilege,
        $"permission denied for database \"{access.Project}\"",
        detail: $"User \"{access.User}\" is no longer a member of project \"{access.Project}\", directly or through a group.",
        hint: $"Ask an owner of the project to run: ADD MEMBER {access.User} TO PROJECT {access.Project} AS VIEWER; or connect to database \"{GovernanceService.HomeDatabase}\".");
}
