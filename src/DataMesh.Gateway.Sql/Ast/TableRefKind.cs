namespace DataMesh.Gateway.Sql.Ast;

/// <summary>DuckDB's TableReferenceType as serialised by json_serialize_sql ("type" of a table reference).</summary>
public enum TableRefKind
{
    /// <summary>A type string this reader does not know: the policy layer must refuse the query.</summary>
    Unknown = 0,
    BaseTable,
    TableFunction,
    Subquery,
    Join,
    ExpressionList,
    Cte,
    Empty,
    Pivot,
    ShowRef,
}

public static class TableRefKinds
{
    public static TableRefKind FromDuckDb(string type) => type switch
    {
        "BASE_TABLE" => TableRefKind.BaseTable,
        "TABLE_FUNCTION" => TableRefKind.TableFunction,
        "SUBQUERY" => TableRefKind.Subquery,
        "JOIN" => TableRefKind.Join,
        "EXPRESSION_LIST" => TableRefKind.ExpressionList,
        "CTE" => TableRefKind.Cte,
        "EMPTY" => TableRefKind.Empty,
        "PIVOT" => TableRefKind.Pivot,
        "SHOW_REF" => TableRefKind.ShowRef,
        _ => TableRefKind.Unknown,
    };
}
