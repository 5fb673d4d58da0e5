using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin;

/// <summary>One admin command being executed: who, from which database, the (redacted) text, and the services.</summary>
public sealed class AdminContext(AdminCaller caller, string database, string statementText, AdminServices services)
{
    public AdminContext(string user, string database, string statementText, AdminServices services)
        : this(new AdminCaller(user), database, statementText, services)
    {
    }

    public AdminCaller Caller { get; } = caller;
    public string User => Caller.User;
    public string Database { get; } = database;
    public string StatementText { get; } = statementText;
    public AdminServices Services { get; } = services;
    public DateTimeOffset Now => Services.Clock.GetUtcNow();
    public CatalogSnapshot Snapshot => Services.Catalog.Snapshot;

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
        var result = Services.Catalog.Change(w =>
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

    public T Read<T>(Func<ICatalogReader, T> work) => Services.Catalog.Store.Read(work);

    internal AuditRecord Audit(string outcome, string? sqlState, string? message, IReadOnlyList<string>? assets = null, IReadOnlyList<long>? ids = null) =>
        new(0, Now, User, Caller.Issuer, Caller.Subject, Database, "admin", Command, StatementText, outcome, sqlState, message, assets ?? [], ids ?? [], null, null, null);
}
