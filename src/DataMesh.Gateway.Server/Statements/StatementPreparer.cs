using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// Parse (and the simple protocol's first step): classifies the statement once (<see cref="StatementParser"/>) and
/// prepares it as its kind; governed queries are planned and prepared in the engine now, so a refusal comes at Parse.
/// </summary>
internal static class StatementPreparer
{
    public static PreparedStatement Prepare(StatementContext context, string name, SqlStatement statement, int[] declaredOids)
    {
        EnginePlanning.FollowGrants(context);
        return Parse(context, statement) switch
        {
            QueryStatement query => QueryHandler.Prepare(context, name, query, declaredOids),
            CopyOutStatement copy => CopyOutHandler.Prepare(context, name, copy),
            DeclareCursorStatement declare => DeclareHandler.Prepare(context, name, declare, declaredOids),
            FetchStatement fetch => new PreparedFetch(name, fetch),
            CloseCursorStatement close => new PreparedClose(name, close),
            SessionStatement command => new PreparedSessionCommand(name, command),
            TransactionStatement control => new PreparedTransaction(name, control),
            WorkspaceWriteStatement write => new PreparedWorkspaceWrite(name, write),
            AdminCommandStatement admin => new PreparedAdminCommand(name, admin),
            SqlPrepareStatement prepare => new PreparedSqlPrepare(name, prepare),
            SqlExecuteStatement execute => new PreparedSqlExecute(name, execute),
            RejectedStatement rejected => new PreparedRejected(name, rejected),
            EmptyStatement empty => new PreparedEmpty(name, empty),
            var other => throw new InvalidOperationException($"no handler for {other.GetType().Name}"),
        };
    }

    /// <summary>A malformed admin command is 42601 pointing at the offending word, and audited by the admin executor.</summary>
    private static Statement Parse(StatementContext context, SqlStatement statement)
    {
        try
        {
            return StatementParser.Parse(statement);
        }
        catch (StatementException e)
        {
            throw StatementErrors.ToPg(e);
        }
        catch (AdminSyntaxException e)
        {
            var error = new PgErrorException(SqlState.SyntaxError, e.Message, position: AdminHandler.StatementOffset(statement) + e.Offset + 1, hint: e.Hint);
            // The text may hold a password the parser could not place: audit only the leading words.
            var words = string.Join(' ', statement.LeadingWords(3));
            var session = context.Session;
            context.Admin.AuditRejected(session.AdminCaller, session.Database, words + " …", error);
            throw error;
        }
    }
}
