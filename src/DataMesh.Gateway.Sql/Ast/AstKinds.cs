namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// Every "class" and "type" string this reader knows from json_serialize_sql (DuckDB 1.5.6). The walker reads the whole
/// tree generically, so any node is visited; a string outside these sets means DuckDB grew a node kind nobody has
/// reviewed, and <see cref="ParsedQuery.UnknownKinds"/> reports it so the policy layer can fail closed.
/// </summary>
public static class AstKinds
{
    /// <summary>Parsed expression classes ("class").</summary>
    public static readonly IReadOnlySet<string> ExpressionClasses = new HashSet<string>(StringComparer.Ordinal)
    {
        "BETWEEN", "CASE", "CAST", "COLLATE", "COLUMN_REF", "COMPARISON", "CONJUNCTION", "CONSTANT",
        "FUNCTION", "LAMBDA", "OPERATOR", "PARAMETER", "POSITIONAL_REFERENCE", "STAR", "SUBQUERY", "WINDOW",
    };

    /// <summary>Expression types ("type" of a node with a "class").</summary>
    public static readonly IReadOnlySet<string> ExpressionTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "ARRAY_CONSTRUCTOR", "ARRAY_EXTRACT", "ARRAY_SLICE", "CASE_EXPR", "COLLATE", "COLUMN_REF",
        "COMPARE_BETWEEN", "COMPARE_DISTINCT_FROM", "COMPARE_NOT_DISTINCT_FROM",
        "COMPARE_EQUAL", "COMPARE_NOTEQUAL", "COMPARE_GREATERTHAN", "COMPARE_GREATERTHANOREQUALTO",
        "COMPARE_LESSTHAN", "COMPARE_LESSTHANOREQUALTO", "COMPARE_IN", "COMPARE_NOT_IN",
        "CONJUNCTION_AND", "CONJUNCTION_OR", "FUNCTION", "LAMBDA", "OPERATOR_CAST", "OPERATOR_COALESCE",
        "OPERATOR_IS_NULL", "OPERATOR_IS_NOT_NULL", "OPERATOR_NOT", "OPERATOR_TRY", "POSITIONAL_REFERENCE", "STAR",
        "STRUCT_EXTRACT", // (expr).field: pgjdbc reads (information_schema._pg_expandarray(indkey)).n
        "SUBQUERY", "VALUE_CONSTANT", "VALUE_PARAMETER",
        "WINDOW_AGGREGATE", "WINDOW_CUME_DIST", "WINDOW_FIRST_VALUE", "WINDOW_LAG", "WINDOW_LAST_VALUE",
        "WINDOW_LEAD", "WINDOW_NTH_VALUE", "WINDOW_NTILE", "WINDOW_PERCENT_RANK", "WINDOW_RANK",
        "WINDOW_RANK_DENSE", "WINDOW_ROW_NUMBER",
    };

    /// <summary>Query node types (nodes with a "cte_map").</summary>
    public static readonly IReadOnlySet<string> QueryNodeTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE",
    };

    /// <summary>Table reference types; see <see cref="TableRefKinds.FromDuckDb"/>. "CTE" exists in DuckDB's enum but
    /// json_serialize_sql never produced it in our corpus (CTE uses are BASE_TABLE references).</summary>
    public static readonly IReadOnlySet<string> TableRefTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "BASE_TABLE", "TABLE_FUNCTION", "SUBQUERY", "JOIN", "EXPRESSION_LIST", "CTE", "EMPTY", "PIVOT", "SHOW_REF",
    };

    /// <summary>Result modifiers (ORDER BY, LIMIT, DISTINCT) and ORDER BY entries.</summary>
    public static readonly IReadOnlySet<string> ModifierTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "ORDER_MODIFIER", "LIMIT_MODIFIER", "LIMIT_PERCENT_MODIFIER", "DISTINCT_MODIFIER",
        "ORDER_DEFAULT", "ASCENDING", "DESCENDING",
    };

    /// <summary>Logical type extra info ("type" inside a type's "type_info").</summary>
    public static readonly IReadOnlySet<string> TypeInfoTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "DECIMAL_TYPE_INFO", "LIST_TYPE_INFO", "STRUCT_TYPE_INFO", "UNBOUND_TYPE_INFO", "ARRAY_TYPE_INFO",
    };

    public static bool IsKnownClass(string value) => ExpressionClasses.Contains(value);

    public static bool IsKnownType(string value) =>
        ExpressionTypes.Contains(value) || QueryNodeTypes.Contains(value) || TableRefTypes.Contains(value)
        || ModifierTypes.Contains(value) || TypeInfoTypes.Contains(value);
}
