using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary><c>CREATE TABLE workspace.t AS …</c>, <c>INSERT INTO workspace.t …</c> or <c>DROP TABLE workspace.t</c>.</summary>
public sealed class PreparedWorkspaceWrite : PreparedStatement
{
    private RewriteResult? _plan;

    internal PreparedWorkspaceWrite(string name, WorkspaceWriteStatement write) : base(name, write) => Write = write;

    public WorkspaceWriteStatement Write { get; }

    /// <summary>The governed plan of its query part, once it ran (the audit record lists the assets it read).</summary>
    public override RewriteResult? Plan => _plan;

    internal void SetPlan(RewriteResult plan) => _plan = plan;

    internal override IStatementHandler Handler => WorkspaceWriteHandler.Instance;
}

/// <summary>
/// A write to the project's workspace: owners and contributors only; its query part is governed like any query, so
/// derived tables never hold more than the project may read. Audited like a query, with the assets it read. It runs
/// when executed (the gateway's transaction blocks do not defer it).
/// </summary>
internal sealed class WorkspaceWriteHandler : StatementHandler<PreparedWorkspaceWrite>
{
    public static readonly WorkspaceWriteHandler Instance = new();

    protected override StatementResult Execute(StatementContext context, PreparedWorkspaceWrite statement, Portal portal, int maxRows)
    {
        var session = context.Session;
        var command = statement.Write;
        EnginePlanning.FollowGrants(context);
        if (!session.RewriteOptions.Workspace)
            throw new PgErrorException(SqlState.FeatureNotSupported,
                $"project \"{session.Access.Project}\" has no workspace (its profile has no workspace blueprint)");
        if (session.Engine.Workspace != Engine.Instances.WorkspaceAccess.ReadWrite && session.Access.CanWriteWorkspace)
            throw new PgErrorException(SqlState.ObjectInUse,
                $"the workspace of project \"{session.Access.Project}\" is open for writing by another gateway process; it is read-only here");
        if (!session.Access.CanWriteWorkspace)
            throw new PgErrorException(SqlState.InsufficientPrivilege,
                $"writing to the workspace of project \"{session.Access.Project}\" needs the contributor or owner role; viewers may only read it");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var rows = Run(context, statement);
            var tag = command.Verb switch
            {
                "CREATE" => $"SELECT {rows}",
                "INSERT" => $"INSERT 0 {rows}",
                _ => "DROP TABLE",
            };
            return new CommandResult(tag) { Audit = new CompletedRun(statement, rows, started) };
        }
        catch (PgErrorException e)
        {
            AuditNote.Failed(e, statement, started);
            throw;
        }
    }

    private static long Run(StatementContext context, PreparedWorkspaceWrite statement)
    {
        var command = statement.Write;
        var sql = command.Prefix;
        RewriteResult? plan = null;
        if (command.Query is { } query)
        {
            plan = EnginePlanning.Plan(context, statement.Source.Text, query);
            statement.SetPlan(plan);
            sql += plan.Sql;
        }
        using var timer = StatementTimer.Start(context.Session, context.Options);
        using var held = plan is null ? null : ObjectHolds.Hold(context, plan, validate: true);
        using var lineage = context.Lineage.BeginWrite(context.Session, command, plan); // records where the rows come from first
        try
        {
            var rows = context.Session.Engine.ExecuteWorkspaceWrite(sql);
            lineage.Committed();
            return command.Verb == "CREATE" ? context.Session.Engine.CountWorkspaceRows(command.Table) : rows;
        }
        catch (PgErrorException e) when (plan is not null)
        {
            throw EngineRuns.Translate(context, e, plan);
        }
    }
}
