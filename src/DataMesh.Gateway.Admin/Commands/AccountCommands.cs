using DataMesh.Gateway.Admin.ObjectStores;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Storage.Accounts;
using DataMesh.Gateway.Storage.Objects;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// Associated accounts: the domain admin proposes, the account admin accepts; only then can the account hold
/// projects. The location is a directory on the gateway's host, or an <c>s3://bucket/prefix/</c> location on an
/// S3-compatible object store whose connection comes in WITH (…) and is checked (one listing) before it is stored.
/// </summary>
internal static class AccountCommands
{
    public static AdminResult Associate(AdminContext ctx, AssociateAccount s)
    {
        Permissions.RequireDomainAdmin(ctx, "associate accounts");
        if (S3Location.IsS3(s.Location)) return AssociateObjectStore(ctx, s);
        if (s.Options.Count > 0) throw AdminErrors.Invalid("WITH options apply to object-store (s3://) locations only");
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

    private static AdminResult AssociateObjectStore(AdminContext ctx, AssociateAccount s)
    {
        var location = S3Location.TryParse(s.Location, out var error) ?? throw AdminErrors.Invalid($"account location \"{s.Location}\": {error}");
        var store = AccountConnections.FromOptions(s.Name, s.Options, ctx.Services.Storage);
        var record = new AccountRecord(s.Name, location.ToString(), s.Admin, AccountStatus.Proposed, ctx.User, ctx.Now, null) { ObjectStore = store };
        ctx.Read(r =>
        {
            if (r.GetAccount(s.Name) is not null) throw AdminErrors.Duplicate("account", s.Name);
            if (r.GetUser(s.Admin) is null) throw AdminErrors.Unknown("user", s.Admin);
            return 0;
        });
        CheckAccess(ctx, record, "cannot be associated");
        ctx.Change(w =>
        {
            if (w.GetAccount(s.Name) is not null) throw AdminErrors.Duplicate("account", s.Name);
            var overlapping = w.Accounts().FirstOrDefault(a => a.ObjectStore is not null && S3Location.TryParse(a.Location, out _) is { } other
                && other.Overlaps(location) && a.ObjectStore.Endpoint == store.Endpoint);
            if (overlapping is not null)
                throw AdminErrors.Invalid($"account location overlaps the location of account \"{overlapping.Name}\"");
            w.InsertAccount(record);
        });
        return AdminResult.Row("ASSOCIATE ACCOUNT", ("account", s.Name), ("status", "proposed"), ("admin", s.Admin));
    }

    /// <summary>ALTER ACCOUNT … SET CREDENTIALS: the domain admin or the account's admin rotates them; checked before stored.</summary>
    public static AdminResult AlterCredentials(AdminContext ctx, AlterAccountCredentials s)
    {
        var account = ctx.Read(r => r.GetAccount(s.Name)) ?? throw AdminErrors.Unknown("account", s.Name);
        if (account.Admin != ctx.User && !Permissions.IsDomainAdmin(ctx))
            throw AdminErrors.Denied($"permission denied to change the credentials of account \"{s.Name}\": its account admin ({account.Admin}) or a domain admin can");
        if (account.ObjectStore is null) throw AdminErrors.WrongState($"account \"{s.Name}\" is a local directory: it has no credentials");
        var store = AccountConnections.WithCredentials(s.Name, account.ObjectStore, s.Options, ctx.Services.Storage);
        CheckAccess(ctx, account with { ObjectStore = store }, "keeps its credentials");
        ctx.Change(w =>
        {
            if (w.GetAccount(s.Name) is null) throw AdminErrors.Unknown("account", s.Name);
            w.SetAccountObjectStore(s.Name, store);
        });
        return AdminResult.Row("ALTER ACCOUNT", ("account", s.Name), ("credentials", AccountConnections.Describe(account with { ObjectStore = store })));
    }

    /// <summary>One listing under the account's prefix with the new connection: wrong credentials or a missing bucket
    /// fail here (58030, naming the account) and nothing is stored.</summary>
    private static void CheckAccess(AdminContext ctx, AccountRecord account, string outcome)
    {
        try
        {
            ctx.Services.Storage.Store.CheckAccessAsync(AccountConnections.ToAccount(account)).GetAwaiter().GetResult();
        }
        catch (ObjectStoreException e)
        {
            throw e.ToPgError($"account \"{account.Name}\" {outcome}");
        }
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
        return new AdminResult([new("account"), new("location"), new("admin"), new("status"), new("proposed_by"), new("accepted_at"), new("object_store")],
            accounts.Select(a => new object?[]
            {
                a.Name, admin || a.Admin == ctx.User ? a.Location : null, a.Admin, a.Status.ToString().ToLowerInvariant(), a.ProposedBy, Format.Time(a.AcceptedAt),
                admin || a.Admin == ctx.User ? AccountConnections.Describe(a) : null,
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
