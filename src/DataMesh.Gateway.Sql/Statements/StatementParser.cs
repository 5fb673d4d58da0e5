using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// Reads one statement into its <see cref="Statement"/>, once: the kind decides who answers it (the gateway from
/// session state, the admin executor, or the engine after governance). Admin commands are recognised first by their
/// leading phrases, then workspace writes, then the leading keyword.
/// </summary>
public static class StatementParser
{
    /// <exception cref="AdminSyntaxException">An admin command that is malformed (its offset says where).</exception>
    /// <exception cref="StatementException">A statement the gateway's grammar refuses.</exception>
    public static Statement Parse(SqlStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (statement.Tokens.Count == 0) return new EmptyStatement(statement);
        if (AdminParser.TryParse(statement, out var command)) return new AdminCommandStatement(statement, command);
        if (WorkspaceGrammar.Matches(statement)) return WorkspaceGrammar.Parse(statement);
        var first = statement.Tokens[0];
        if (first.Kind != SqlTokenKind.Word) return new QueryStatement(statement);
        switch (first.Value.ToUpperInvariant())
        {
            case "BEGIN" or "START" or "COMMIT" or "END" or "ROLLBACK" or "ABORT" or "SAVEPOINT" or "RELEASE":
                return ReadWhenRun(statement, TransactionGrammar.Parse);
            case "SHOW" when QueryGrammar.ShowTables(statement) is { } showTables:
                return showTables; // answered by the engine from the project's shadow catalog
            case "SET" or "SHOW" or "RESET" or "DISCARD" or "DEALLOCATE" or "UNLISTEN" or "LISTEN" or "NOTIFY" or "LOCK":
                return ReadWhenRun(statement, SessionGrammar.Parse);
            case "PREPARE":
                return ReadWhenRun(statement, PrepareGrammar.Prepare);
            case "EXECUTE":
                return ReadWhenRun(statement, PrepareGrammar.Execute);
            case "DECLARE":
                return CursorGrammar.Declare(statement);
            case "FETCH" or "MOVE":
                return CursorGrammar.Fetch(statement);
            case "CLOSE":
                return CursorGrammar.Close(statement);
            case "COPY":
                return CopyGrammar.Parse(statement);
            case "SELECT" when SetConfigGrammar.TryParse(statement) is { } call:
                return call; // set_config on its own: SET on the gateway's settings
            default:
                return QueryGrammar.Query(statement);
        }
    }

    /// <summary>Only these may run in a failed transaction block (25P02 for anything else): read before classifying.</summary>
    public static bool EndsTransaction(SqlStatement statement) => TransactionGrammar.EndsTransaction(statement);

    /// <summary>
    /// Session and transaction control is answered from session state when it runs; a malformed one is kept as a
    /// <see cref="RejectedStatement"/> and fails then, like a semantic error of the same statement.
    /// </summary>
    private static Statement ReadWhenRun(SqlStatement statement, Func<SqlStatement, Statement> read)
    {
        try
        {
            return read(statement);
        }
        catch (StatementException e)
        {
            return new RejectedStatement(statement, e);
        }
    }
}
