using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>The domain (the gateway's one catalog): its name and a few counts for everyone; renaming for domain admins.</summary>
internal static class DomainCommands
{
    public static AdminResult Show(AdminContext ctx, ShowDomain _)
    {
        // Counts only, and only of what every user may list anyway; the mask secret and account locations stay out.
        var (name, version, accounts, projects, assets, users, subscriptions) = ctx.Read(r =>
            (r.DomainName, r.Version, r.Accounts(), r.Projects(), r.Assets(), r.Users(), r.Subscriptions()));
        return AdminResult.Row("SHOW DOMAIN 1",
            ("domain", name),
            ("accounts", (long)accounts.Count),
            ("projects", (long)projects.Count),
            ("published_assets", (long)assets.Count(a => a.Published)),
            ("users", (long)users.Count),
            ("domain_admins", (long)users.Count(u => u.IsDomainAdmin)),
            ("approved_subscriptions", (long)subscriptions.Count(s => s.StatusAt(ctx.Now) == SubscriptionStatus.Approved)),
            ("pending_requests", (long)subscriptions.Count(s => s.StatusAt(ctx.Now) == SubscriptionStatus.Pending)),
            ("catalog_version", version));
    }

    public static AdminResult Rename(AdminContext ctx, RenameDomain s)
    {
        Permissions.RequireDomainAdmin(ctx, "rename the domain");
        var previous = ctx.Change(w =>
        {
            var old = w.DomainName;
            w.SetDomainName(s.Name);
            return old;
        });
        return AdminResult.Row("ALTER DOMAIN", ("domain", s.Name), ("previous_name", previous));
    }
}
