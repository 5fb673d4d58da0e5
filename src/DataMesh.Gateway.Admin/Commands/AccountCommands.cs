using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// Associated accounts: the domain admin proposes, the account admin accepts; only then can the account hold
/// projects. The location is a directory (later an object-store URI) that must exist.
/// </summary>
internal static class AccountCommands
{
    public static AdminResult Associate(AdminContext ctx, AssociateAccount s)
    {
        Permissions.RequireDomainAdmin(ctx, "associate accounts");
        if (!Path.IsPathRooted(s.Location)) throw AdminErrors.Invalid($"account location \"{s.Location}\" must be an absolute path");
        var location = Path.GetFullPath(s.Location);
        ctx.Change(w =>
        {
            if (w.GetAccount(s.Name) is not null) throw AdminErrors.Duplicate("account", s.Name);
            if (w.GetUser(s.Admin) is null) throw AdminErrors.Unknown("user", s.Admin);
            var overlapping = w.Accounts().FirstOrDefault(a => Inside(location, a.Location) || Inside(a.Location, location));
            if (overlapping is not null)
                throw AdminErrors.Invalid($"account location overlaps the location of account \"{overlapping.Name}\"");
            Directory.CreateDirectory(location);
            w.InsertAccount(new AccountRecord(s.Name, location, s.Admin, AccountStatus.Proposed, ctx.User, ctx.Now, null));
        });
        return AdminResult.Row("ASSOCIATE ACCOUNT", ("account", s.Name), ("status", "proposed"), ("admin", s.Admin));
    }

    public static AdminResult Accept(AdminContext ctx, AcceptAccount s)
    {
        var account = ctx.Read(r => r.GetAccount(s.Name)) ?? throw AdminErrors.Unknown("account", s.Name);
        if (account.Admin != ctx.User && !Permissions.IsDomainAdmin(ctx))
            throw AdminErrors.Denied($"permission denied to accept account \"{s.Name}\": its account admin ({account.Admin}) or a domain admin can accept it");
        ctx.Change(w =>
        {
            var current = w.GetAccount(s.Name) ?? throw AdminErrors.Unknown("account", s.Name);
            if (current.Status == AccountStatus.Accepted) throw AdminErrors.WrongState($"account \"{s.Name}\" is already accepted");
            w.AcceptAccount(s.Name, ctx.Now);
        });
        return AdminResult.Row("ACCEPT ACCOUNT", ("account", s.Name), ("status", "accepted"));
    }

    public static AdminResult AlterAdmin(AdminContext ctx, AlterAccountAdmin s)
    {
        Permissions.RequireDomainAdmin(ctx, "change an account's admin");
        ctx.Change(w =>
        {
            if (w.GetAccount(s.Name) is null) throw AdminErrors.Unknown("account", s.Name);
            if (w.GetUser(s.Admin) is null) throw AdminErrors.Unknown("user", s.Admin);
            w.SetAccountAdmin(s.Name, s.Admin);
        });
        return AdminResult.Row("ALTER ACCOUNT", ("account", s.Name), ("admin", s.Admin));
    }

    public static AdminResult Show(AdminContext ctx, ShowAccounts _)
    {
        var accounts = ctx.Read(r => r.Accounts());
        var admin = Permissions.IsDomainAdmin(ctx);
        return new AdminResult([new("account"), new("location"), new("admin"), new("status"), new("proposed_by"), new("accepted_at")],
            accounts.Select(a => new object?[]
            {
                a.Name, admin || a.Admin == ctx.User ? a.Location : null, a.Admin, a.Status.ToString().ToLowerInvariant(), a.ProposedBy, Format.Time(a.AcceptedAt),
            }).ToList(),
            $"SHOW ACCOUNTS {accounts.Count}");
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it.</summary>
    public static bool Inside(string path, string root)
    {
        var r = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        return path == Path.TrimEndingDirectorySeparator(root) || path.StartsWith(r, StringComparison.Ordinal);
    }
}
