using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>Decides from a statement's leading keywords whether the gateway answers it or the engine runs it.</summary>
public static class StatementClassifier
{
    public static StatementKind Classify(SqlStatement statement)
    {
        if (statement.Tokens.Count == 0) return StatementKind.EngineQuery;
        var first = statement.Tokens[0];
        if (first.Kind != SqlTokenKind.Word) return StatementKind.EngineQuery;
        switch (first.Value.ToUpperInvariant())
        {
            case "BEGIN" or "START" or "COMMIT" or "END" or "ROLLBACK" or "ABORT" or "SAVEPOINT" or "RELEASE":
                return StatementKind.Transaction;
            case "SHOW" when IsShowTables(statement):
                return StatementKind.EngineQuery; // answered by the engine from the project's shadow catalog
            case "SET" or "SHOW" or "RESET" or "DISCARD" or "DEALLOCATE" or "UNLISTEN" or "LISTEN" or "NOTIFY" or "LOCK" or "PREPARE" or "EXECUTE":
                return StatementKind.Session;
            case "DECLARE" or "FETCH" or "MOVE" or "CLOSE":
                return StatementKind.Cursor;
            case "COPY":
                return StatementKind.CopyOut;
            case "SELECT" when SetConfigCall.TryParse(statement) is not null:
                return StatementKind.Session; // set_config on its own: SET on the gateway's settings
            default:
                return StatementKind.EngineQuery;
        }
    }

    /// <summary>
    /// The gateway's answer to SHOW TABLES / SHOW ALL TABLES: the project's visible assets from its shadow catalog
    /// (DuckDB's own SHOW TABLES would list the instance's main schema, which holds only the pg_catalog emulation).
    /// </summary>
    public static string? ShowTablesQuery(SqlStatement statement)
    {
        if (statement.Tokens.Count == 0 || !statement.Tokens[0].IsWord("SHOW") || !IsShowTables(statement)) return null;
        const string Visible = "FROM information_schema.tables WHERE table_schema NOT IN ('main', 'pg_catalog', 'information_schema')";
        return statement.Tokens.Any(t => t.IsWord("ALL"))
            ? $"SELECT table_schema AS schema, table_name AS name, table_type AS type {Visible} ORDER BY schema, name"
            : $"SELECT table_name AS name {Visible} ORDER BY name";
    }

    /// <summary>SHOW TABLES and SHOW ALL TABLES list relations, not a session parameter.</summary>
    private static bool IsShowTables(SqlStatement statement)
    {
        var words = statement.Tokens.Skip(1).Where(t => t.Kind == SqlTokenKind.Word).Select(t => t.Value.ToUpperInvariant()).ToList();
        var count = statement.Tokens.Skip(1).Count(t => t.Kind != SqlTokenKind.Semicolon);
        return (count == 1 && words is ["TABLES"]) || (count == 2 && words is ["ALL", "TABLES"]);
    }
}
