namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// DuckDB refused the statement (parse error, not a SELECT, not exactly one statement), or its AST could not be read
/// safely (an inconsistent location, a table name the text does not show). Callers refuse the query.
/// </summary>
public sealed class SqlAstException : Exception
{
    public SqlAstException(string message, int? position = null, string? errorType = null, string? errorSubtype = null)
        : base(message)
    {
        Position = position;
        ErrorType = errorType;
        ErrorSubtype = errorSubtype;
    }

    /// <summary>0-based character offset into the original SQL text, when known.</summary>
    public int? Position { get; }

    /// <summary>DuckDB's error_type ("parser", "not implemented", …); null for errors found by this reader.</summary>
    public string? ErrorType { get; }

    /// <summary>DuckDB's error_subtype ("SYNTAX_ERROR", …) when it gave one.</summary>
    public string? ErrorSubtype { get; }
}
