using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>Users, groups and the domain admin role.</summary>
internal static class PrincipalCommands
{
    public static AdminResult CreateUser(AdminContext ctx, CreateUser s)
    {
        Permissions.RequireDomainAdmin(ctx, "create users");
        RequirePassword(s.Password);
        ctx.Change(w =>
        {
            if (w.GetUser(s.Name) is not null) throw AdminErrors.Duplicate("user", s.Name);
            w.InsertUser(new UserRecord(s.Name, ScramVerifier.Create(s.Password).ToString(), false, "local", ctx.Now));
        });
        return AdminResult.Done("CREATE USER");
    }

    public static AdminResult AlterUserPassword(AdminContext ctx, AlterUserPassword s)
    {
        if (s.Name != ctx.User) Permissions.RequireDomainAdmin(ctx, "change another user's password");
        RequirePassword(s.Password);
        ctx.Change(w =>
        {
            if (w.GetUser(s.Name) is null) throw AdminErrors.Unknown("user", s.Name);
            w.SetUserVerifier(s.Name, ScramVerifier.Create(s.Password).ToString());
        });
        return AdminResult.Done("ALTER USER");
    }

    public static AdminResult DropUser(AdminContext ctx, DropUser s)
    {
        Permissions.RequireDomainAdmin(ctx, "drop users");
        if (s.Name == ctx.User) throw AdminErrors.WrongState("you cannot drop the user you are connected as");
        ctx.Change(w =>
        {
            if (w.GetUser(s.Name) is null) throw AdminErrors.Unknown("user", s.Name);
            if (w.Accounts().Any(a => a.Admin == s.Name))
                throw AdminErrors.WrongState($"user \"{s.Name}\" is the admin of an associated account", "give the account another admin first: ALTER ACCOUNT name ADMIN user");
            RequireOtherOwners(w.ProjectsWithMember(s.Name, isGroup: false), s.Name, isGroup: false);
            w.DeleteUser(s.Name);
        });
        return AdminResult.Done("DROP USER");
    }

    public static AdminResult ShowUsers(AdminContext ctx, ShowUsers _)
    {
        var snapshot = ctx.Snapshot;
        var users = ctx.Read(r => r.Users());
        return new AdminResult(
            [new("user"), new("domain_admin", AdminColumnType.Bool), new("source"), new("groups"), new("created_at")],
            users.Select(u => new object?[] { u.Name, u.IsDomainAdmin, u.Source, string.Join(", ", snapshot.GroupsOf(u.Name).Order()), Format.Time(u.CreatedAt) }).ToList(),
            $"SHOW USERS {users.Count}");
    }

    public static AdminResult SetDomainAdmin(AdminContext ctx, string user, bool admin)
    {
        Permissions.RequireDomainAdmin(ctx, admin ? "grant the domain admin role" : "revoke the domain admin role");
        ctx.Change(w =>
        {
            if (w.GetUser(user) is null) throw AdminErrors.Unknown("user", user);
            if (!admin && w.DomainAdminCount() == 1 && w.GetUser(user)!.IsDomainAdmin)
                throw AdminErrors.WrongState("the domain must keep at least one domain admin");
            w.SetDomainAdmin(user, admin);
        });
        return AdminResult.Done(admin ? "GRANT" : "REVOKE");
    }

    public static AdminResult CreateGroup(AdminContext ctx, CreateGroup s)
    {
        Permissions.RequireDomainAdmin(ctx, "create groups");
        ctx.Change(w =>
        {
            if (w.GetGroup(s.Name) is not null) throw AdminErrors.Duplicate("group", s.Name);
            w.InsertGroup(s.Name, ctx.Now);
        });
        return AdminResult.Done("CREATE GROUP");
    }

    public static AdminResult DropGroup(AdminContext ctx, DropGroup s)
    {
        Permissions.RequireDomainAdmin(ctx, "drop groups");
        ctx.Change(w =>
        {
            if (w.GetGroup(s.Name) is null) throw AdminErrors.Unknown("group", s.Name);
            RequireOtherOwners(w.ProjectsWithMember(s.Name, isGroup: true), s.Name, isGroup: true);
            w.DeleteGroup(s.Name);
        });
        return AdminResult.Done("DROP GROUP");
    }

    public static AdminResult AlterGroup(AdminContext ctx, string group, string user, bool add)
    {
        Permissions.RequireDomainAdmin(ctx, "change group membership");
        ctx.Change(w =>
        {
            var g = w.GetGroup(group) ?? throw AdminErrors.Unknown("group", group);
            if (w.GetUser(user) is null) throw AdminErrors.Unknown("user", user);
            if (add && g.Members.Contains(user)) throw AdminErrors.Duplicate("member of group " + group, user);
            if (!add && !g.Members.Contains(user)) throw AdminErrors.Unknown("member of group " + group, user);
            if (add) w.AddGroupMember(group, user);
            else w.RemoveGroupMember(group, user);
        });
        return AdminResult.Done("ALTER GROUP");
    }

    public static AdminResult ShowGroups(AdminContext ctx, ShowGroups _)
    {
        var groups = ctx.Read(r => r.Groups());
        return new AdminResult([new("group"), new("members"), new("created_at")],
            groups.Select(g => new object?[] { g.Name, string.Join(", ", g.Members), Format.Time(g.CreatedAt) }).ToList(),
            $"SHOW GROUPS {groups.Count}");
    }

    /// <summary>Dropping a principal must not leave a project without an owner (as REMOVE MEMBER refuses too).</summary>
    private static void RequireOtherOwners(IReadOnlyList<ProjectRecord> projects, string principal, bool isGroup)
    {
        foreach (var p in projects)
        {
            var owners = p.Members.Where(m => m.Role == MemberRole.Owner).ToList();
            if (owners.Count > 0 && owners.All(m => m.Principal == principal && m.IsGroup == isGroup))
                throw AdminErrors.WrongState($"{(isGroup ? "group" : "user")} \"{principal}\" is the only owner of project \"{p.Name}\"",
                    $"add another owner first: ADD MEMBER … TO PROJECT {p.Name} AS OWNER");
        }
    }

    private static void RequirePassword(string password)
    {
        if (string.IsNullOrEmpty(password)) throw AdminErrors.Invalid("the password must not be empty");
        if (password.Length > 1024) throw AdminErrors.Invalid("the password is longer than 1024 characters");
    }
}
