using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// ALTER … RENAME TO for the names people use, and a project's webhook. What a rename keeps: grants (subscriptions refer
/// to assets by id and follow), table OIDs (from the asset's id), a project's schema OID (from the name it was created
/// with), storage prefixes, workspace and repository paths (recorded once; the data does not move), and the audit log
/// (history keeps the names of its time; SHOW USAGE follows an asset's former names). What it changes: the name queries
/// use, so consumers are told with a "renamed" event. A project is not renamed while sessions are connected to it (55006,
/// as ALTER DATABASE … RENAME in PostgreSQL).
/// </summary>
internal static class RenameCommands
{
    public static AdminResult Rename(AdminContext ctx, RenameObject s)
    {
        switch (s.Kind)
        {
            case RenameKind.Asset: RenameAsset(ctx, s); break;
            case RenameKind.Project: RenameProject(ctx, s); break;
            case RenameKind.GlossaryTerm: GlossaryCommands.RenameTerm(ctx, s.Name, s.NewName); break;
            case RenameKind.Profile:
                Permissions.RequireDomainAdmin(ctx, "rename project profiles");
                Simple(ctx, "project profile", s, r => r.GetProfile(s.Name) is not null, r => r.GetProfile(s.NewName) is not null, w => w.RenameProfile(s.Name, s.NewName));
                break;
            case RenameKind.Blueprint:
                Permissions.RequireDomainAdmin(ctx, "rename blueprints");
                if (Provisioning.BuiltInBlueprints.Find(s.Name) is not null) throw AdminErrors.WrongState($"blueprint \"{s.Name}\" is built in and cannot be renamed");
                Simple(ctx, "blueprint", s, r => r.GetBlueprint(s.Name) is not null,
                    r => r.GetBlueprint(s.NewName) is not null || Provisioning.BuiltInBlueprints.Find(s.NewName) is not null, w => w.RenameBlueprint(s.Name, s.NewName));
                break;
            case RenameKind.Group:
                Permissions.RequireDomainAdmin(ctx, "rename groups");
                Simple(ctx, "group", s, r => r.GetGroup(s.Name) is not null, r => r.GetGroup(s.NewName) is not null, w => w.RenameGroup(s.Name, s.NewName));
                break;
            default:
                Permissions.RequireDomainAdmin(ctx, "rename accounts");
                Simple(ctx, "account", s, r => r.GetAccount(s.Name) is not null, r => r.GetAccount(s.NewName) is not null, w => w.RenameAccount(s.Name, s.NewName));
                break;
        }
        return AdminResult.Done(s.Tag);
    }

    private static void Simple(AdminContext ctx, string kind, RenameObject s, Func<ICatalogReader, bool> exists, Func<ICatalogReader, bool> taken, Action<ICatalogWriter> rename) =>
        ctx.Change(w =>
        {
            if (!exists(w)) throw AdminErrors.Unknown(kind, s.Name);
            if (s.NewName != s.Name && taken(w)) throw AdminErrors.Duplicate(kind, s.NewName);
            rename(w);
        });

    private static void RenameAsset(AdminContext ctx, RenameObject s)
    {
        var dot = s.Name.IndexOf('.', StringComparison.Ordinal);
        var (project, name) = (s.Name[..dot], s.Name[(dot + 1)..]);
        Permissions.RequireRole(ctx, project, MemberRole.Owner, $"rename assets of project \"{project}\"");
        ctx.Change(w =>
        {
            var asset = w.GetAsset(project, name) ?? throw AdminErrors.Unknown("asset", s.Name);
            if (w.GetAsset(project, s.NewName) is not null) throw AdminErrors.Duplicate("asset", $"{project}.{s.NewName}");
            w.RenameAsset(asset.Id, s.NewName, ctx.Now);
            foreach (var sub in w.SubscriptionsTo(asset.Id).Where(x => DropPlan.IsOpen(x, ctx.Now)))
                AdminContext.Event(w, ctx, EventKinds.Renamed, sub, $"asset {asset.QualifiedName} is now {project}.{s.NewName}");
        }, assets: [s.Name, $"{project}.{s.NewName}"]);
    }

    private static void RenameProject(AdminContext ctx, RenameObject s)
    {
        var project = ctx.Snapshot.Project(s.Name) ?? throw AdminErrors.Unknown("project", s.Name);
        var account = ctx.Read(r => r.GetAccount(project.Account));
        if (!Permissions.HasRole(ctx, s.Name, MemberRole.Owner) && account?.Admin != ctx.User)
            throw AdminErrors.Denied($"permission denied to rename project \"{s.Name}\": the owner role in project \"{s.Name}\", its account admin or a domain admin is required");
        ProjectSessions.RequireUnused(ctx, s.Name, "rename");
        ctx.Change(w =>
        {
            if (w.GetProject(s.Name) is null) throw AdminErrors.Unknown("project", s.Name);
            if (s.NewName == "postgres" || w.GetProject(s.NewName) is not null) throw AdminErrors.Duplicate("project", s.NewName);
            w.RenameProject(s.Name, s.NewName, ctx.Now);
            foreach (var sub in w.Subscriptions().Where(x => (x.AssetProject == s.NewName || x.ConsumerProject == s.NewName) && DropPlan.IsOpen(x, ctx.Now)))
                AdminContext.Event(w, ctx, EventKinds.Renamed, sub, $"project {s.Name} is now {s.NewName}");
        });
    }

    /// <summary>ALTER PROJECT p SET WEBHOOK 'https://…' | NONE: where the project's events are POSTed, from now on.</summary>
    public static AdminResult SetWebhook(AdminContext ctx, SetProjectWebhook s)
    {
        Permissions.RequireRole(ctx, s.Project, MemberRole.Owner, $"set the webhook of project \"{s.Project}\"");
        var url = s.Url is null ? null : Webhooks.Validate(s.Url, ctx.Services.AllowHttpWebhooks);
        ctx.Change(w =>
        {
            if (w.GetProject(s.Project) is null) throw AdminErrors.Unknown("project", s.Project);
            w.SetProjectWebhook(s.Project, url);
        });
        return AdminResult.Row("ALTER PROJECT", ("project", s.Project), ("webhook", url));
    }
}

/// <summary>What a webhook address may be: https (http only where the gateway allows it: tests, a local development setup).</summary>
internal static class Webhooks
{
    public static string Validate(string url, bool allowHttp)
    {
        if (url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw AdminErrors.Invalid($"invalid webhook URL \"{(url.Length > 80 ? url[..77] + "..." : url)}\"", "use an absolute https:// URL");
        if (uri.Scheme != Uri.UriSchemeHttps && !(allowHttp && uri.Scheme == Uri.UriSchemeHttp))
            throw AdminErrors.Invalid($"a webhook must use https, not {uri.Scheme}", allowHttp ? null : "plain http is allowed only when the gateway's AllowHttpWebhooks setting is on");
        // Credentials in the address would sit in the catalog and the audit log in plain text.
        if (uri.UserInfo.Length > 0) throw AdminErrors.Invalid("a webhook URL must not carry a user name or password");
        return uri.AbsoluteUri;
    }
}
