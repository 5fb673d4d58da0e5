using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// <c>DECLARE name CURSOR FOR query</c>, as psycopg2's named cursors, psycopg 3's ServerCursor and Tableau send it. Its
/// query is governed at Parse (a refusal comes then) and prepared: this statement's parameters are the query's.
/// </summary>
public sealed class PreparedDeclare : EngineStatement
{
    internal PreparedDeclare(string name, DeclareCursorStatement declare, EngineQuery prepared) : base(name, declare, prepared) =>
        Declare = declare;

    public DeclareCursorStatement Declare { get; }

    internal override IStatementHandler Handler => DeclareHandler.Instance;
}

/// <summary>
/// Opens a SQL cursor: a named portal (<see cref="Portal.IsSqlCursor"/>) over its own prepared statement, planned by the
/// same governed rewrite as a plain SELECT and revalidated against the current grants when it starts. FETCH re-checks
/// between batches that the grant it was planned from still stands, so a revoked subscription stops an open cursor.
/// </summary>
internal sealed class DeclareHandler : StatementHandler<PreparedDeclare>
{
    public static readonly DeclareHandler Instance = new();

    public static PreparedDeclare Prepare(StatementContext context, string name, DeclareCursorStatement declare, int[] declaredOids)
    {
        EnginePlanning.FollowGrants(context);
        return new PreparedDeclare(name, declare, EnginePlanning.PrepareQuery(context, declare.Query, declaredOids));
    }

    protected override void Revalidate(StatementContext context, PreparedDeclare statement) => EnginePlanning.Revalidate(context, statement);

    protected override StatementResult Execute(StatementContext context, PreparedDeclare statement, Portal portal, int maxRows)
    {
        var session = context.Session;
        var declare = statement.Declare;
        if (!declare.Hold && session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "DECLARE CURSOR can only be used in transaction blocks");
        if (session.Portals.ContainsKey(declare.Name))
            throw new PgErrorException(SqlState.DuplicateCursor, $"cursor \"{declare.Name}\" already exists");
        var limit = context.Options.MaxCursorsPerSession;
        if (session.CursorEngineCount >= limit)
            throw new PgErrorException(SqlState.ProgramLimitExceeded, $"too many open cursors: a session may hold {limit} at once",
                hint: "CLOSE the cursors you no longer need (COMMIT or ROLLBACK closes those declared without HOLD)");
        EnginePlanning.Revalidate(context, statement); // a DECLARE prepared earlier is refused once its grant is gone
        EnginePlanning.FollowGrants(context);
        // The cursor streams on a connection of its own: DuckDB ends a connection's streaming result as soon as that
        // connection runs anything else, and other statements of the session run between FETCHes.
        var engine = context.Engines.OpenForCursor(session);
        var lease = session.AddCursorEngine(engine);
        Portal? cursor = null;
        PreparedEngineQuery? own = null;
        try
        {
            own = QueryHandler.Prepare(context, "", declare.Query, statement.ParameterOids, engine);
            cursor = new Portal(declare.Name, own, portal.Parameters, declare.Binary ? [FormatCode.Binary] : [])
            {
                IsSqlCursor = true,
                Hold = declare.Hold,
                InOpenTransaction = session.TransactionStatus != TransactionStatus.Idle,
                Sequence = session.NextCursorSequence(),
                StartedAt = System.Diagnostics.Stopwatch.GetTimestamp(),
                OwnEngine = lease,
            };
            cursor.Cursor = EngineRuns.Start(context, own, portal.Parameters);
        }
        catch (Exception e)
        {
            if (e is PgErrorException error && cursor is not null) AuditNote.Failed(error, own!, cursor.StartedAt!.Value);
            if (cursor is not null) cursor.Dispose(); // its statement and its connection with it
            else
            {
                own?.Dispose();
                lease.Dispose();
            }
            throw;
        }
        session.Portals[declare.Name] = cursor;
        return new CommandResult("DECLARE CURSOR");
    }
}
