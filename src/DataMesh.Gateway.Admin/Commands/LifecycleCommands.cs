using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// Retiring things: DROP ASSET, DROP PROJECT, DROP PROJECT PROFILE, DROP BLUEPRINT and DISASSOCIATE ACCOUNT. Each
/// refuses with 2BP01 while anything depends on it, unless CASCADE (see <see cref="DropPlan"/>); a project that sessions
/// are connected to is not dropped (55006, as PostgreSQL's DROP DATABASE). Data files are never deleted: a dropped
/// asset's Parquet files stay in the producer's storage, a dropped project's gateway-owned directory (workspace, its
/// repository when kept there) is moved under &lt;data-dir&gt;/dropped/, so a new project of the same name starts empty.
/// </summary>
internal static class LifecycleCommands
{
    public static AdminResult DropAsset(AdminContext ctx, DropAsset s)
    {
        Permissions.RequireRole(ctx, s.Name.Project, MemberRole.Owner, $"drop assets of project \"{s.Name.Project}\"");
        return Drop(ctx, "DROP ASSET", $"asset {s.Name}", s.Cascade, (r, plan) =>
            plan.AddAsset(r.GetAsset(s.Name.Project, s.Name.Asset) ?? throw AdminErrors.Unknown("asset", s.Name.ToString())), [s.Name.ToString()]);
    }

    public static AdminResult DropProject(AdminContext ctx, DropProject s)
    {
        var project = ctx.Snapshot.Project(s.Name) ?? throw AdminErrors.Unknown("project", s.Name);
        var account = ctx.Read(r => r.GetAccount(project.Account));
        if (!Permissions.HasRole(ctx, s.Name, MemberRole.Owner) && account?.Admin != ctx.User)
            throw AdminErrors.Denied($"permission denied to drop project \"{s.Name}\": the owner role in project \"{s.Name}\", its account admin or a domain admin is required");
        return Drop(ctx, "DROP PROJECT", $"project {s.Name}", s.Cascade, (r, plan) =>
            plan.AddProject(r.GetProject(s.Name) ?? throw AdminErrors.Unknown("project", s.Name)), []);
    }

    public static AdminResult DropProfile(AdminContext ctx, DropProjectProfile s)
    {
        Permissions.RequireDomainAdmin(ctx, "drop project profiles");
        return Drop(ctx, "DROP PROJECT PROFILE", $"project profile {s.Name}", s.Cascade, (r, plan) =>
        {
            if (r.GetProfile(s.Name) is null) throw AdminErrors.Unknown("project profile", s.Name);
            plan.AddProfile(s.Name);
        }, []);
    }

    public static AdminResult DropBlueprint(AdminContext ctx, DropBlueprint s)
    {
        Permissions.RequireDomainAdmin(ctx, "drop blueprints");
        if (Provisioning.BuiltInBlueprints.Find(s.Name) is not null)
            throw AdminErrors.WrongState($"blueprint \"{s.Name}\" is built in and cannot be dropped");
        return Drop(ctx, "DROP BLUEPRINT", $"blueprint {s.Name}", s.Cascade, (r, plan) =>
        {
            if (r.GetBlueprint(s.Name) is null) throw AdminErrors.Unknown("blueprint", s.Name);
            plan.AddBlueprint(s.Name);
            plan.Blueprints.Add(s.Name);
        }, []);
    }

    public static AdminResult Disassociate(AdminContext ctx, DisassociateAccount s)
    {
        Permissions.RequireDomainAdmin(ctx, "disassociate accounts");
        return Drop(ctx, "DISASSOCIATE ACCOUNT", $"account {s.Name}", s.Cascade, (r, plan) =>
            plan.AddAccount(r.GetAccount(s.Name) ?? throw AdminErrors.Unknown("account", s.Name)), [], account: s.Name);
    }

    /// <summary>
    /// The shared shape: find the object and its dependents (under the write lock, so nothing new slips in between);
    /// refuse while there are any, unless CASCADE; otherwise remove it all in one transaction, with its events and audit.
    /// A dropped project's files are set aside once the change is kept.
    /// </summary>
    private static AdminResult Drop(AdminContext ctx, string tag, string what, bool cascade, Action<ICatalogReader, DropPlan> fill,
        IReadOnlyList<string> assets, string? account = null)
    {
        var notices = new List<AdminNotice>();
        var moved = new List<(string Project, string? Directory)>();
        ctx.Change(w =>
        {
            var plan = new DropPlan(w, ctx.Now);
            fill(w, plan);
            if (!plan.IsEmpty && !cascade) throw plan.Refusal(what, tag);
            if (!plan.IsEmpty) notices.Add(plan.Notice());
            foreach (var name in plan.Projects)
            {
                ProjectSessions.RequireUnused(ctx, name, "drop");
                if (w.GetProject(name) is { } p) moved.Add((p.Name, ProjectFiles.DirectoryOf(ctx, p)));
            }
            plan.Execute(w, ctx);
            if (account is not null) w.DeleteAccount(account);
        }, assets);
        foreach (var (project, directory) in moved) ctx.AfterCommit(() => ProjectFiles.SetAside(ctx, project, directory));
        return AdminResult.Done(tag) with { Notices = notices };
    }
}
