using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>The domain (the gateway's one catalog): its name and a few counts for everyone; renaming for domain admins.</summary>
internal static class DomainCommands
{
    public static AdminResult Show(AdminContext ctx, ShowDomain _)
    {
        // Counts only, and only of what every user may list anyway; the mask secret and account locations stay out.
        // Counted by the store: reading every row to count it took seconds with a million subscriptions.
        var (name, version, counts) = ctx.Read(r => (r.DomainName, r.Version, r.Counts(ctx.Now)));
        return AdminResult.Row("SHOW DOMAIN 1",
            ("domain", name),
            ("accounts", counts.Accounts),
            ("projects", counts.Projects),
            ("published_assets", counts.PublishedAssets),
            ("users", counts.Users),
            ("domain_admins", counts.DomainAdmins),
            ("approved_subscriptions", counts.ApprovedSubscriptions),
            ("pending_requests", counts.PendingRequests),
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
