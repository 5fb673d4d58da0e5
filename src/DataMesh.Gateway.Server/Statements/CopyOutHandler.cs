using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary><c>COPY (query) TO STDOUT</c>: the query inside is governed exactly like the same SELECT on its own.</summary>
public sealed class PreparedCopyOut : EngineStatement
{
    internal PreparedCopyOut(string name, CopyOutStatement copy, EngineQuery prepared) : base(name, copy, prepared) => Copy = copy;

    public CopyOutStatement Copy { get; }

    internal override IStatementHandler Handler => CopyOutHandler.Instance;
}

/// <summary>
/// Starts the COPY's query; its rows go out as CopyData lines (<see cref="ResponseWriter"/>). FORMAT parquet runs the
/// query to a governed Parquet file first, which then goes out as binary CopyData.
/// </summary>
internal sealed class CopyOutHandler : StatementHandler<PreparedCopyOut>
{
    public static readonly CopyOutHandler Instance = new();

    public static PreparedCopyOut Prepare(StatementContext context, string name, CopyOutStatement copy)
    {
        var plan = EnginePlanning.Plan(context, copy.Source.Text, copy.Query);
        return new PreparedCopyOut(name, copy, new EngineQuery(copy.Query, plan, EnginePlanning.Prepare(context, plan, copy.Query), []));
    }

    protected override void Revalidate(StatementContext context, PreparedCopyOut statement) => EnginePlanning.Revalidate(context, statement);

    protected override StatementResult Execute(StatementContext context, PreparedCopyOut statement, Portal portal, int maxRows)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            if (statement.Copy.Parquet)
            {
                var (file, rows, plan) = GovernedExport.Run(context, statement.Source.Text, statement.Copy.Query);
                statement.SetPlan(plan);
                return new CopyParquetResult(statement, file, rows, started);
            }
            return new CopyOutResult(statement, EngineRuns.Start(context, statement, []), started);
        }
        catch (PgErrorException e)
        {
            AuditNote.Failed(e, statement, started);
            throw;
        }
    }
}
