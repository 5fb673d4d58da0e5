using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// What may reach the engine as a query. Non-queries are refused by their leading keyword before the engine sees
/// them at all: even preparing DROP TABLE t would tell the caller whether t exists. Whatever passes is checked again
/// by the engine's statement type after it is prepared.
/// </summary>
internal static class QueryGrammar
{
    private static readonly HashSet<string> QueryKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "WITH", "VALUES", "TABLE", "FROM", "DESCRIBE", "SUMMARIZE", "PIVOT", "UNPIVOT",
    };

    // Statement keywords of things that are not queries. A leading word that is neither a query keyword nor one of
    // these is left to the engine's parser, which answers with a syntax error (SELEC 1 is 42601, as in PostgreSQL).
    private static readonly HashSet<string> NonQueryKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALTER", "ANALYZE", "ATTACH", "CALL", "CHECKPOINT", "COMMENT", "CREATE", "DECLARE", "DELETE", "DETACH", "DROP",
        "EXECUTE", "EXPLAIN", "EXPORT", "FETCH", "FORCE", "GRANT", "IMPORT", "INSERT", "INSTALL", "LOAD", "MERGE", "MOVE",
        "PRAGMA", "PREPARE", "REINDEX", "REVOKE", "TRUNCATE", "UPDATE", "UPSERT", "USE", "VACUUM",
    };

    public static bool IsQueryKeyword(string word) => QueryKeywords.Contains(word);

    public static QueryStatement Query(SqlStatement statement)
    {
        RequireQueryKeyword(statement);
        return new QueryStatement(statement);
    }

    /// <summary>42501 for a statement that leads with the keyword of something other than a query.</summary>
    public static void RequireQueryKeyword(SqlStatement statement)
    {
        var first = statement.Tokens.Count > 0 ? statement.Tokens[0] : default;
        if (first.Kind != SqlTokenKind.Word || QueryKeywords.Contains(first.Value) || !NonQueryKeywords.Contains(first.Value)) return;
        throw StatementException.Refused($"{first.Value.ToUpperInvariant()} statements are not allowed through the gateway; only queries are");
    }

    /// <summary>
    /// SHOW TABLES / SHOW ALL TABLES list relations, not a session parameter: the gateway answers them with the
    /// project's visible assets from its shadow catalog (DuckDB's own SHOW TABLES would list the instance's main
    /// schema, which holds only the pg_catalog emulation). Null for any other SHOW.
    /// </summary>
    public static QueryStatement? ShowTables(SqlStatement statement)
    {
        var words = statement.Tokens.Skip(1).Where(t => t.Kind == SqlTokenKind.Word).Select(t => t.Value.ToUpperInvariant()).ToList();
        var count = statement.Tokens.Skip(1).Count(t => t.Kind != SqlTokenKind.Semicolon);
        var all = count == 2 && words is ["ALL", "TABLES"];
        if (!all && !(count == 1 && words is ["TABLES"])) return null;
        const string Visible = "FROM information_schema.tables WHERE table_schema NOT IN ('main', 'pg_catalog', 'information_schema')";
        return new QueryStatement(statement, all
            ? $"SELECT table_schema AS schema, table_name AS name, table_type AS type {Visible} ORDER BY schema, name"
            : $"SELECT table_name AS name {Visible} ORDER BY name");
    }
}
