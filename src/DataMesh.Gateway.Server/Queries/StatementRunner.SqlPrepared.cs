using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>SQL PREPARE and EXECUTE (<see cref="SqlPrepare"/>): the statement is prepared and run like a protocol one.</summary>
public sealed partial class StatementRunner
{
    private void PrepareSql(Session session, PreparedStatement statement, bool sendRowDescription)
    {
        var command = SqlPrepare.ParsePrepare(statement.Statement);
        if (session.Statements.ContainsKey(command.Name))
            throw new PgErrorException(SqlState.DuplicatePreparedStatement, $"prepared statement \"{command.Name}\" already exists");
        session.Statements[command.Name] = Prepare(session, command.Name, command.Statement, command.ParameterOids);
        Complete(session, new StatementOutcome("PREPARE"), sendRowDescription);
    }

    private async Task<bool> ExecuteSqlAsync(Session session, PreparedStatement statement)
    {
        var command = SqlPrepare.ParseExecute(statement.Statement);
        if (!session.Statements.TryGetValue(command.Name, out var prepared))
            throw new PgErrorException(SqlState.InvalidSqlStatementName, $"prepared statement \"{command.Name}\" does not exist");
        if (command.Arguments.Length != prepared.ParameterOids.Length)
            throw new PgErrorException(SqlState.SyntaxError, $"wrong number of parameters for prepared statement \"{command.Name}\"",
                detail: $"Expected {prepared.ParameterOids.Length} parameters but got {command.Arguments.Length}.");
        var input = session.Parameters.Input;
        var values = command.Arguments.Select((a, i) => a is null ? null : ParameterDecoder.DecodeText(prepared.ParameterOids[i], a, input)).ToArray();
        // A portal of its own, never stored: EXECUTE runs to completion within the statement, as PostgreSQL's does.
        using var portal = new Portal("", prepared, values, [FormatCode.Text]);
        return await ExecuteAsync(session, portal, 0, sendRowDescription: true).ConfigureAwait(false);
    }
}
