namespace DataMesh.Gateway.Sql.Ast;

/// <summary>A FUNCTION or WINDOW expression node. Macros are FUNCTION nodes too; operators have IsOperator.</summary>
public sealed record FunctionCall(
    string FunctionName,
    string Schema,
    string Catalog,
    bool IsOperator,
    bool IsWindow,
    bool IsTableFunction,
    string ExpressionType,
    int? Offset);

/// <summary>A PARAMETER node: $1 / ? have identifier "1", "2", …; $name has "name".</summary>
public sealed record ParameterReference(string Identifier, int? Offset);

/// <summary>A COLUMN_REF node (qualified names have several parts).</summary>
public sealed record ColumnReference(IReadOnlyList<string> ColumnNames, int? Offset);

/// <summary>A SUBQUERY expression (SCALAR, EXISTS, NOT_EXISTS, ANY, …).</summary>
public sealed record SubqueryExpression(string SubqueryType, int? Offset);
