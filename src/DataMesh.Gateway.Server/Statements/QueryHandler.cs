using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>A consumer query (SELECT, WITH, VALUES, SHOW TABLES, …), governed and prepared in the engine.</summary>
public sealed class PreparedEngineQuery : EngineStatement
{
    internal PreparedEngineQuery(string name, QueryStatement query, EngineQuery prepared) : base(name, query, prepared)
    {
    }

    internal override IStatementHandler Handler => QueryHandler.Instance;
}

/// <summary>
/// Runs a governed query: it starts at Describe of its portal (so RowDescription has the real result types) or at
/// its first Execute, and streams as rows from its cursor; an Execute with a row limit leaves the cursor open.
/// </summary>
internal sealed class QueryHandler : StatementHandler<PreparedEngineQuery>
{
    public static readonly QueryHandler Instance = new();

    /// <param name="engine">The connection to prepare and run on when it is not the session's (a SQL cursor's own).</param>
    public static PreparedEngineQuery Prepare(StatementContext context, string name, QueryStatement query, int[] declaredOids,
        Engine.Execution.EngineSession? engine = null) =>
        new(name, query, EnginePlanning.PrepareQuery(context, query, declaredOids, engine));

    protected override void Revalidate(StatementContext context, PreparedEngineQuery statement) => EnginePlanning.Revalidate(context, statement);

    protected override IReadOnlyList<FieldDescription> Describe(StatementContext context, PreparedEngineQuery statement) =>
        Fields.For(statement.EngineQuery!.Columns, [], statement.ColumnOrigins);

    public override IReadOnlyList<FieldDescription> DescribePortal(StatementContext context, Portal portal)
    {
        var statement = (PreparedEngineQuery)portal.Statement;
        var cursor = portal.Completed ? null : portal.Cursor ??= EngineRuns.Start(context, statement, portal.Parameters);
        return Fields.For(cursor?.Columns ?? statement.EngineQuery!.Columns, portal.ResultFormats, statement.ColumnOrigins);
    }

    protected override StatementResult Execute(StatementContext context, PreparedEngineQuery statement, Portal portal, int maxRows)
    {
        if (portal.Completed) return new CommandResult("SELECT 0");
        portal.StartedAt ??= System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            portal.Cursor ??= EngineRuns.Start(context, statement, portal.Parameters);
        }
        catch (PgErrorException e)
        {
            AuditNote.Failed(e, statement, portal.StartedAt.Value);
            throw;
        }
        return new RowsResult(portal, portal.ResultFormats, maxRows, "SELECT") { SuspendAtLimit = true };
    }
}
