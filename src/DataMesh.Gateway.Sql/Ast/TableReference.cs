namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// One table reference of the AST (one occurrence: DuckDB copies a named WINDOW into every window function that uses
/// it, so a reference inside a WINDOW clause can appear more than once with the same offset).
/// </summary>
public sealed record TableReference
{
    public required TableRefKind Kind { get; init; }

    /// <summary>The "type" string as DuckDB wrote it ("BASE_TABLE", …), kept for unknown kinds.</summary>
    public required string DuckDbType { get; init; }

    public string CatalogName { get; init; } = "";
    public string SchemaName { get; init; } = "";

    /// <summary>BASE_TABLE: the table name or file path (<c>FROM 'x.parquet'</c>); SHOW_REF: the SHOW target.</summary>
    public string TableName { get; init; } = "";

    public string Alias { get; init; } = "";

    /// <summary>BASE_TABLE with an AT (VERSION => …) / AT (TIMESTAMP => …) clause.</summary>
    public bool HasAtClause { get; init; }

    /// <summary>A TABLESAMPLE / USING SAMPLE attached to this reference itself.</summary>
    public bool HasSample { get; init; }

    /// <summary>Char offset of query_location in the original text; null when DuckDB gave none.</summary>
    public int? Offset { get; init; }

    /// <summary>BASE_TABLE: the extent of the (optionally catalog/schema-qualified, quoted) name, without the alias.</summary>
    public TextSpan? NameSpan { get; init; }

    /// <summary>
    /// BASE_TABLE: an unqualified name that DuckDB binds to a CTE in scope at this point (see <see cref="CteScope"/>).
    /// </summary>
    public bool RefersToCte { get; init; }

    /// <summary>TABLE_FUNCTION: the function name and its qualification.</summary>
    public string? FunctionName { get; init; }
    public string? FunctionSchema { get; init; }
    public string? FunctionCatalog { get; init; }

    /// <summary>SHOW_REF: DESCRIBE, SUMMARY, SHOW_UNQUALIFIED, ….</summary>
    public string? ShowType { get; init; }

    /// <summary>The qualified name as DuckDB parsed it (parts joined with '.', empty parts left out).</summary>
    public string QualifiedName =>
        string.Join('.', new[] { CatalogName, SchemaName, TableName }.Where(p => p.Length > 0));
}
