using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Server.Connections;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Statements;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// Parse, Bind, Describe, Execute, Close and Sync: the protocol's bookkeeping of named statements and portals. Named
/// statements and portals survive Sync; the unnamed ones are replaced by the next Parse/Bind. What a statement does is
/// its handler's; what is written for it, the response writer's.
/// </summary>
internal sealed class ExtendedQueryHandler(StatementContext context, ResponseWriter responses, IWireOutput output)
{
    private BackendWriter Out => output.Backend;

    private Session Session => context.Session;

    public void Parse(ParseMessage message)
    {
        var session = Session;
        if (message.StatementName.Length > 0 && session.Statements.ContainsKey(message.StatementName))
            throw new PgErrorException(SqlState.DuplicatePreparedStatement, $"prepared statement \"{message.StatementName}\" already exists");
        var statements = StatementSplitter.Split(message.Sql);
        if (statements.Count > 1)
            throw new PgErrorException(SqlState.SyntaxError, "cannot insert multiple commands into a prepared statement");
        var statement = statements.Count == 1 ? statements[0] : new SqlStatement("", []);
        RejectInFailedTransaction(statement);
        if (Sql.ParameterNumbers.Highest(statement) is var highest and > ParseMessage.MaxParameters)
            throw new PgErrorException(SqlState.ProgramLimitExceeded, $"prepared statements can have at most {ParseMessage.MaxParameters} parameters",
                detail: $"The statement refers to parameter ${highest}; Bind and ParameterDescription carry a 16-bit parameter count.");

        if (message.StatementName.Length == 0 && session.Statements.Remove("", out var previous)) previous.Dispose();
        // Planning and prepare can be cancelled (StatementPreparer): a cancel of the previous statement must not hit this one.
        session.ClearCancel();
        var prepared = statements.Count == 0
            ? new PreparedEmpty(message.StatementName, new EmptyStatement(statement))
            : StatementPreparer.Prepare(context, message.StatementName, statement, message.ParameterTypeOids);
        session.Statements[message.StatementName] = prepared;
        Out.ParseComplete();
    }

    public void Bind(BindMessage message)
    {
        var session = Session;
        if (!session.Statements.TryGetValue(message.StatementName, out var statement))
            throw new PgErrorException(SqlState.InvalidSqlStatementName, $"prepared statement \"{message.StatementName}\" does not exist");
        RejectInFailedTransaction(statement.Source);
        statement.Handler.Revalidate(context, statement); // grants may have changed since Parse: a revoked grant fails here
        if (message.ParameterValues.Length != statement.ParameterOids.Length)
            throw new PgErrorException(SqlState.ProtocolViolation,
                $"bind message supplies {message.ParameterValues.Length} parameters, but prepared statement \"{statement.Name}\" requires {statement.ParameterOids.Length}");
        if (message.PortalName.Length > 0 && session.Portals.ContainsKey(message.PortalName))
            throw new PgErrorException(SqlState.DuplicateCursor, $"portal \"{message.PortalName}\" already exists");

        var values = new object?[message.ParameterValues.Length];
        var input = session.Parameters.Input; // DateStyle's order and IntervalStyle, as PostgreSQL's input functions read them
        for (var i = 0; i < values.Length; i++)
            values[i] = ParameterDecoder.Decode(statement.ParameterOids[i], message.ParameterFormat(i), message.ParameterValues[i], input);

        if (message.PortalName.Length == 0 && session.Portals.Remove("", out var previous)) previous.Dispose();
        session.ClearCancel(); // a cancel that arrived after the previous statement ended must not hit this one
        session.Portals[message.PortalName] = new Portal(message.PortalName, statement, values, message.ResultFormats);
        Out.BindComplete();
    }

    /// <summary>Describe of a statement: ParameterDescription, then its columns or NoData; of a portal: the columns in
    /// its formats (a query starts here, so the description has the real result types).</summary>
    public void Describe(TargetedMessage message)
    {
        if (message.Target == TargetedMessage.Statement)
        {
            if (!Session.Statements.TryGetValue(message.Name, out var statement))
                throw new PgErrorException(SqlState.InvalidSqlStatementName, $"prepared statement \"{message.Name}\" does not exist");
            statement.Handler.Revalidate(context, statement);
            responses.ParameterDescription(statement.ParameterOids);
            responses.Fields(statement.Handler.DescribeStatement(context, statement));
            return;
        }
        var portal = FindPortal(message.Name);
        responses.Fields(portal.Statement.Handler.DescribePortal(context, portal));
    }

    /// <summary>Runs a portal; an Execute with a row limit that stops there sends PortalSuspended and keeps it open.</summary>
    public async Task ExecuteAsync(ExecuteMessage message)
    {
        var portal = FindPortal(message.PortalName);
        RejectInFailedTransaction(portal.Statement.Source);
        var result = portal.Statement.Handler.Execute(context, portal, message.MaxRows);
        await responses.WriteAsync(context, result, describe: false).ConfigureAwait(false);
    }

    public void Close(TargetedMessage message)
    {
        var session = Session;
        if (message.Target == TargetedMessage.Statement)
        {
            if (session.Statements.Remove(message.Name, out var statement)) statement.Dispose();
        }
        else if (session.Portals.Remove(message.Name, out var portal))
        {
            portal.Dispose();
        }
        Out.CloseComplete(); // closing something that does not exist is not an error
    }

    /// <summary>Sync ends the implicit transaction: portals die unless an explicit transaction holds them.</summary>
    public void Sync()
    {
        var session = Session;
        session.SkipUntilSync = false;
        if (session.TransactionStatus == TransactionStatus.Idle) session.ClosePortals(includeNamed: true);
        Out.ReadyForQuery(session.TransactionStatus);
    }

    private Portal FindPortal(string name) =>
        Session.Portals.TryGetValue(name, out var portal)
            ? portal
            : throw new PgErrorException(SqlState.InvalidCursorName, $"portal \"{name}\" does not exist");

    /// <summary>In a failed transaction block only ROLLBACK/COMMIT may be parsed, bound or run (25P02).</summary>
    private void RejectInFailedTransaction(SqlStatement statement)
    {
        if (Session.TransactionStatus == TransactionStatus.Failed && !StatementParser.EndsTransaction(statement))
            throw SimpleQueryHandler.InFailedTransaction();
    }
}
