using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Lineage;

/// <summary>
/// A workspace table holds no more than the grants it was derived from allow, for no longer than they allow it. Every
/// write records the subscriptions its rows came through (those of the assets its query read, with a hash of each
/// grant as it stood, plus the lineage of the workspace tables it read); every query that reads a workspace table
/// needs each of them still in force and unchanged. A revoked, expired, superseded or changed (narrowed or widened)
/// subscription makes the table unreadable (42501 naming the subscription) until it is re-created. A table the gateway
/// has no lineage for (written before lineage was recorded) is unreadable too: fail closed. One per connection.
/// </summary>
internal sealed class WorkspaceLineageGuard(IWorkspaceLineageStore store, CatalogService catalog, GovernanceService governance, TimeProvider time)
{
    // Workspace writes to one table are serialised from recording their lineage to the end of the write, so the
    // lineage a CREATE OR REPLACE leaves behind is that of the rows that won. Striped: bounded, and writes are rare.
    private static readonly object[] WriteGates = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();

    private readonly IWorkspaceLineageStore _store = store;
    private readonly TimeProvider _time = time;
    private (RewriteResult? Plan, string Fingerprint) _lastChecked;

    /// <summary>Before a query runs (every plan, cached or not): the workspace tables it reads must be readable now.</summary>
    public void CheckReadable(Session session, RewriteResult plan)
    {
        if (plan.WorkspaceTables.Count == 0) return;
        var grants = governance.Grants(session.Access);
        foreach (var name in plan.WorkspaceTables)
        {
            var table = Key(name);
            if (_store.Lineage(session.Access.Project, table) is not { } lineage)
            {
                // No such table: the engine answers that itself (42P01), as before.
                if (Exists(session, name)) throw NoLineage(table);
                continue;
            }
            foreach (var source in lineage.Sources)
                if (Broken(session.Access, grants, source) is { } why) throw Unreadable(table, source, why);
        }
        _lastChecked = (plan, grants.Fingerprint);
    }

    /// <summary>Between the batches of a streaming result: a grant change since the plan is checked again.</summary>
    public void EnsureStillReadable(Session session, RewriteResult plan)
    {
        if (plan.WorkspaceTables.Count == 0) return;
        var fingerprint = governance.Grants(session.Access).Fingerprint;
        if (fingerprint == plan.PolicyVersion || (ReferenceEquals(_lastChecked.Plan, plan) && _lastChecked.Fingerprint == fingerprint)) return;
        CheckReadable(session, plan);
    }

    /// <summary>
    /// Starts a workspace write: its sources are added to the target's lineage before any row lands (a write that then
    /// fails leaves a lineage too wide, never too narrow). Dispose the scope after the write; call
    /// <see cref="WriteScope.Committed"/> once it succeeded.
    /// </summary>
    public WriteScope BeginWrite(Session session, WorkspaceWriteStatement command, RewriteResult? plan)
    {
        var project = session.Access.Project;
        var table = Key(command.Table);
        var gate = WriteGates[(int)((uint)StringComparer.Ordinal.GetHashCode(project + "\0" + table) % WriteGates.Length)];
        Monitor.Enter(gate);
        try
        {
            List<LineageSource> sources = command.Verb == "DROP" ? [] : SourcesOf(project, plan);
            if (command.Verb != "DROP") _store.RecordLineage(project, table, sources, replace: false, _time.GetUtcNow());
            return new WriteScope(this, gate, project, table, command, sources);
        }
        catch
        {
            Monitor.Exit(gate);
            throw;
        }
    }

    /// <summary>
    /// Where the rows a plan reads come from: its grants on other projects' assets, and the recorded sources of the
    /// workspace tables it reads (so a data product written from a workspace table keeps the subscriptions behind it).
    /// </summary>
    public List<LineageSource> SourcesOf(string project, RewriteResult? plan)
    {
        if (plan is null) return [];
        var sources = plan.Grants.Where(g => !g.OwnProject)
            .SelectMany(g => g.SubscriptionIds.Select(id => new LineageSource(id, g.Project, g.Asset, GrantHash.Of(g)))).ToList();
        foreach (var read in plan.WorkspaceTables)
            sources.AddRange(_store.Lineage(project, Key(read))?.Sources ?? []);
        return sources.Distinct().ToList();
    }

    /// <summary>Why a source no longer stands, or null when its grant is in force exactly as when the rows were written.</summary>
    private string? Broken(ProjectAccess access, GrantSet grants, LineageSource source)
    {
        var current = grants.Find(source.AssetProject, source.Asset);
        var inForce = current is not null && current.SubscriptionIds.Contains(source.SubscriptionId);
        if (inForce && GrantHash.Of(current!) == source.Grant) return null;
        // Snapshots hold approved subscriptions only: a revoked or rejected one is read from the store by its key (this
        // is the refusal path, never the path of a statement that runs).
        var record = catalog.Snapshot.SubscriptionsOf(access.Project).FirstOrDefault(s => s.Id == source.SubscriptionId)
            ?? StoredSubscription(access.Project, source.SubscriptionId);
        return record?.StatusAt(_time.GetUtcNow()) switch
        {
            null => "no longer exists",
            SubscriptionStatus.Revoked => "has been revoked",
            SubscriptionStatus.Expired => "has expired",
            SubscriptionStatus.Approved when inForce => "lets this session through other rows, columns or masks than when the table was written",
            SubscriptionStatus.Approved when current is not null => "has been superseded by a newer approval",
            SubscriptionStatus.Approved => "no longer grants the asset (it is not published)",
            _ => "is no longer approved",
        };
    }

    private SubscriptionRecord? StoredSubscription(string consumerProject, long id) =>
        catalog.Store.Read(r => r.GetSubscription(id)) is { } stored && stored.ConsumerProject == consumerProject ? stored : null;

    // No such table is DuckDB's catalog error, answered by the engine layer (the server names no DuckDB type).
    private static bool Exists(Session session, string table) => session.Engine.WorkspaceTableExists(table);

    private static string Key(string table) => table.ToLowerInvariant();

    private static PgErrorException Unreadable(string table, LineageSource source, string why) => new(SqlState.InsufficientPrivilege,
        $"workspace table \"{table}\" was derived from subscription {source.SubscriptionId} to {source.AssetProject}.{source.Asset}, which {why}",
        hint: $"Its rows came through subscription {source.SubscriptionId}. Re-create the table from the grants in force now: "
            + $"DROP TABLE workspace.{table}, then CREATE TABLE workspace.{table} AS …");

    private static PgErrorException NoLineage(string table) => new(SqlState.InsufficientPrivilege,
        $"workspace table \"{table}\" has no recorded lineage, so the grants its rows came from cannot be checked",
        detail: "It was written before the gateway recorded where workspace rows come from.",
        hint: $"Re-create it: DROP TABLE workspace.{table}, then CREATE TABLE workspace.{table} AS …");

    /// <summary>One workspace write in progress; holds the table's write gate until disposed.</summary>
    public sealed class WriteScope(WorkspaceLineageGuard guard, object gate, string project, string table, WorkspaceWriteStatement command,
        IReadOnlyList<LineageSource> sources) : IDisposable
    {
        private bool _disposed;

        /// <summary>The write succeeded: a created table's lineage is exactly its sources, a dropped one has none.</summary>
        public void Committed()
        {
            if (command.Verb == "DROP") guard._store.ForgetLineage(project, table);
            // CREATE TABLE IF NOT EXISTS may have left an older table in place: its lineage keeps the union then.
            else if (command.Verb == "CREATE" && !command.IfNotExists)
                guard._store.RecordLineage(project, table, sources, replace: true, guard._time.GetUtcNow());
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Monitor.Exit(gate);
        }
    }
}
