using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Who may do what. Domain admins do everything; otherwise the project role decides. Every refusal is 42501 and
/// names the role that is missing.
/// </summary>
public static class Permissions
{
    public static bool IsDomainAdmin(AdminContext ctx) => ctx.Snapshot.IsDomainAdmin(ctx.User);

    public static void RequireDomainAdmin(AdminContext ctx, string action)
    {
        if (!IsDomainAdmin(ctx)) throw AdminErrors.Denied($"permission denied to {action}: the domain admin role is required");
    }

    public static MemberRole? RoleIn(AdminContext ctx, string project) => ctx.Snapshot.RoleIn(ctx.User, project, ctx.Caller.Groups);

    /// <summary>Requires at least <paramref name="minimum"/> in the project (owner > contributor > viewer).</summary>
    public static void RequireRole(AdminContext ctx, string project, MemberRole minimum, string action)
    {
        if (IsDomainAdmin(ctx)) return;
        var role = RoleIn(ctx, project);
        if (role is null || role < minimum)
        {
            var needed = minimum switch
            {
                MemberRole.Owner => "owner",
                MemberRole.Contributor => "contributor or owner",
                _ => "member (viewer, contributor or owner)",
            };
            throw AdminErrors.Denied($"permission denied to {action}: the {needed} role in project \"{project}\" is required");
        }
    }

    public static bool HasRole(AdminContext ctx, string project, MemberRole minimum) =>
        IsDomainAdmin(ctx) || RoleIn(ctx, project) is { } r && r >= minimum;
}
