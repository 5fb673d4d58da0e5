using System.Globalization;
using DataMesh.Gateway.Admin.Storage;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// DESCRIBE PROJECT: one project as (section, item, value) rows. What every user of the domain may know (its
/// account, profile, description, size, published assets) for everyone; where its data and code live and what its
/// blueprints provisioned (paths, limits) for its members and domain admins only.
/// </summary>
internal static class ProjectDescription
{
    public static AdminResult Describe(AdminContext ctx, DescribeProject s)
    {
        var (project, account, projects, assets) = ctx.Read(r =>
        {
            var p = r.GetProject(s.Project) ?? throw AdminErrors.Unknown("project", s.Project);
            return (p, r.GetAccount(p.Account), r.ProjectsInAccount(p.Account), r.AssetsOf(p.Name));
        });
        var role = Permissions.RoleIn(ctx, project.Name);
        var insider = Permissions.HasRole(ctx, project.Name, MemberRole.Viewer);
        var rows = new List<object?[]>
        {
            Row("project", "name", project.Name),
            Row("project", "account", project.Account),
            Row("project", "profile", project.Profile),
            Row("project", "description", project.Description),
            Row("project", "created by", $"{project.CreatedBy} at {Format.Time(project.CreatedAt)}"),
            Row("project", "members", project.Members.Count.ToString(CultureInfo.InvariantCulture)),
            Row("project", "your role", role?.ToString().ToLowerInvariant()),
            Row("assets", "published", assets.Count(a => a.Published).ToString(CultureInfo.InvariantCulture)),
        };
        if (insider)
        {
            rows.Add(Row("assets", "inventory", assets.Count(a => !a.Published).ToString(CultureInfo.InvariantCulture)));
            rows.Add(Row("storage", "prefix", project.StoragePrefix + "/"));
            if (account is not null) rows.Add(Row("storage", "location", ProjectStorage.For(account, project, projects).Location));
            rows.AddRange(project.Resources.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => Row("resource", r.Key, r.Value)));
        }
        return new AdminResult([new("section"), new("item"), new("value")], rows, $"DESCRIBE PROJECT {rows.Count}");
    }

    private static object?[] Row(string section, string item, string? value) => [section, item, value];
}
