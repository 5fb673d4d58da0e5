using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Server.Connections;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// Parse, Bind, Describe, Execute, Close, Sync and Flush. Named statements and portals survive Sync; the
/// unnamed ones are replaced by the next Parse/Bind. After an error the connection skips to the next Sync.
/// </summary>
public sealed class ExtendedQueryHandler(WireTransport transport, StatementRunner runner)
{
    private BackendWriter Out => transport.Backend;

    public void Parse(Session session, ParseMessage message)
    {
        if (message.StatementName.Length > 0 && session.Statements.ContainsKey(message.StatementName))
            throw new PgErrorException(SqlState.DuplicatePreparedStatement, $"prepared statement \"{message.StatementName}\" already exists");
        var statements = StatementSplitter.Split(message.Sql);
        if (statements.Count > 1)
            throw new PgErrorException(SqlState.SyntaxError, "cannot insert multiple commands into a prepared statement");
        var statement = statements.Count == 1 ? statements[0] : new SqlStatement("", []);
        RejectInFailedTransaction(session, statement);

        if (message.StatementName.Length == 0 && session.Statements.Remove("", out var previous)) previous.Dispose();
        // Planning and prepare can be cancelled (StatementRunner.Prepare): a cancel of the previous statement must not hit this one.
        session.ClearCancel();
        var prepared = statements.Count == 0
            ? new PreparedStatement(message.StatementName, statement, StatementKind.Session, [], null) { Parsed = new Sql.Statements.EmptyStatement(statement) }
            : runner.Prepare(session, message.StatementName, statement, message.ParameterTypeOids);
        session.Statements[message.StatementName] = prepared;
        Out.ParseComplete();
    }

    public void Bind(Session session, BindMessage message)
    {
        if (!session.Statements.TryGetValue(message.StatementName, out var statement))
            throw new PgErrorException(SqlState.InvalidSqlStatementName, $"prepared statement \"{message.StatementName}\" does not exist");
        RejectInFailedTransaction(session, statement.Statement);
        runner.Revalidate(session, statement); // grants may have changed since Parse: a revoked grant fails here
        if (message.ParameterValues.Length != statement.ParameterOids.Length)
            throw new PgErrorException(SqlState.ProtocolViolation,
                $"bind message supplies {message.ParameterValues.Length} parameters, but prepared statement \"{statement.Name}\" requires {statement.ParameterOids.Length}");
        if (message.PortalName.Length > 0 && session.Portals.ContainsKey(message.PortalName))
            throw new PgErrorException(SqlState.DuplicateCursor, $"portal \"{message.PortalName}\" already exists");

        var values = new object?[message.ParameterValues.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = ParameterDecoder.Decode(statement.ParameterOids[i], message.ParameterFormat(i), message.ParameterValues[i]);

        if (message.PortalName.Length == 0 && session.Portals.Remove("", out var previous)) previous.Dispose();
        session.ClearCancel(); // a cancel that arrived after the previous statement ended must not hit this one
        session.Portals[message.PortalName] = new Portal(message.PortalName, statement, values, message.ResultFormats);
        Out.BindComplete();
    }

    public void Describe(Session session, TargetedMessage message)
    {
        if (message.Target == TargetedMessage.Statement)
        {
            if (!session.Statements.TryGetValue(message.Name, out var statement))
                throw new PgErrorException(SqlState.InvalidSqlStatementName, $"prepared statement \"{message.Name}\" does not exist");
            runner.DescribeStatement(session, statement);
            return;
        }
        runner.DescribePortal(session, FindPortal(session, message.Name));
    }

    public async Task ExecuteAsync(Session session, ExecuteMessage message)
    {
        var portal = FindPortal(session, message.PortalName);
        RejectInFailedTransaction(session, portal.Statement.Statement);
        if (portal.Statement.Statement.Tokens.Count == 0)
        {
            Out.EmptyQueryResponse();
            return;
        }
        await runner.ExecuteAsync(session, portal, message.MaxRows, sendRowDescription: false).ConfigureAwait(false);
    }

    public void Close(Session session, TargetedMessage message)
    {
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
    public void Sync(Session session)
    {
        session.SkipUntilSync = false;
        if (session.TransactionStatus == TransactionStatus.Idle) session.ClosePortals(includeNamed: true);
        Out.ReadyForQuery(session.TransactionStatus);
    }

    private static Portal FindPortal(Session session, string name) =>
        session.Portals.TryGetValue(name, out var portal)
            ? portal
            : throw new PgErrorException(SqlState.InvalidCursorName, $"portal \"{name}\" does not exist");

    /// <summary>In a failed transaction block only ROLLBACK/COMMIT may be parsed, bound or run (25P02).</summary>
    private static void RejectInFailedTransaction(Session session, SqlStatement statement)
    {
        if (session.TransactionStatus == TransactionStatus.Failed && !Sql.Statements.StatementParser.EndsTransaction(statement))
            throw SimpleQueryHandler.InFailedTransaction();
    }
}
