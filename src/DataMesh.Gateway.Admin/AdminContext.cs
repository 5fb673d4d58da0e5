using DataMesh.Gateway.Admin.Blocks;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Catalog.Store;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// One admin command being executed: who, from which database, the (redacted) text, the services, how it reaches the
/// catalog and its time: one command has one "now", whatever it writes.
/// </summary>
public sealed class AdminContext
{
    private readonly CatalogAccess _access;

    public AdminContext(AdminCaller caller, string database, string statementText, AdminServices services)
        : this(caller, database, statementText, services, new DirectAccess(services.Catalog), services.Clock.GetUtcNow())
    {
    }

    public AdminContext(string user, string database, string statementText, AdminServices services)
        : this(new AdminCaller(user), database, statementText, services)
    {
    }

    internal AdminContext(AdminCaller caller, string database, string statementText, AdminServices services, CatalogAccess access, DateTimeOffset now)
    {
        Caller = caller;
        Database = database;
        StatementText = statementText;
        Services = services;
        _access = access;
        Now = now;
    }

    public AdminCaller Caller { get; }
    public string User => Caller.User;
    public string Database { get; }
    public string StatementText { get; }
    public AdminServices Services { get; }
    public DateTimeOffset Now { get; }
    public CatalogSnapshot Snapshot => _access.Snapshot;

    /// <summary>Set when the command's own transaction already wrote its audit record.</summary>
    internal bool Audited { get; private set; }

    internal string Command { get; set; } = "";

    /// <summary>The caller's session for governed exports (data products); null outside a session.</summary>
    public IQueryExport? Export { get; init; }

    /// <summary>
    /// Runs a change in one transaction together with its audit record: either both are written or neither.
    /// </summary>
    public T Change<T>(Func<ICatalogWriter, T> work, IReadOnlyList<string>? assets = null, IReadOnlyList<long>? subscriptionIds = null)
    {
        var result = _access.Change(w =>
        {
            var r = work(w);
            w.AppendAudit(Audit("ok", null, null, assets, subscriptionIds));
            return r;
        });
        Audited = true;
        return result;
    }

    public void Change(Action<ICatalogWriter> work, IReadOnlyList<string>? assets = null, IReadOnlyList<long>? subscriptionIds = null) =>
        Change(w =>
        {
            work(w);
            return 0;
        }, assets, subscriptionIds);

    public T Read<T>(Func<ICatalogReader, T> work) => _access.Read(work);

    /// <summary>Work outside the catalog that must follow the change only once it is kept (at once, or at COMMIT).</summary>
    public void AfterCommit(Action action) => _access.AfterCommit(action);

    internal void AppendAudit(AuditRecord record) => _access.AppendAudit(record);

    /// <summary>An event of the command, written in its transaction (LISTEN sessions, webhooks and the portal read it).</summary>
    internal static void Event(ICatalogWriter w, AdminContext ctx, string kind, SubscriptionRecord s, string? detail = null) =>
        w.AppendEvent(new EventRecord(0, ctx.Now, kind, s.Id, $"{s.AssetProject}.{s.AssetName}", s.ConsumerProject, s.AssetProject, ctx.User, detail));

    internal AuditRecord Audit(string outcome, string? sqlState, string? message, IReadOnlyList<string>? assets = null, IReadOnlyList<long>? ids = null) =>
        new(0, Now, User, Caller.Issuer, Caller.Subject, Database, "admin", Command, StatementText, outcome, sqlState, message, assets ?? [], ids ?? [], null, null, null);
}
