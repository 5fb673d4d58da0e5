namespace DataMesh.Gateway.Sql.Ast;

/// <summary>What the whole AST of one SELECT statement contains, in document order.</summary>
public sealed class ParsedQuery
{
    internal ParsedQuery(string originalSql, string json, AstCollector collected)
    {
        OriginalSql = originalSql;
        Json = json;
        TableReferences = collected.TableReferences;
        FunctionCalls = collected.FunctionCalls;
        Parameters = collected.Parameters;
        ColumnReferences = collected.ColumnReferences;
        Subqueries = collected.Subqueries;
        NodeClasses = collected.NodeClasses;
        NodeTypes = collected.NodeTypes;
        UnknownKinds = collected.UnknownKinds;
    }

    public string OriginalSql { get; }

    /// <summary>DuckDB's json_serialize_sql output this was read from.</summary>
    public string Json { get; }

    public IReadOnlyList<TableReference> TableReferences { get; }
    public IReadOnlyList<FunctionCall> FunctionCalls { get; }
    public IReadOnlyList<ParameterReference> Parameters { get; }
    public IReadOnlyList<ColumnReference> ColumnReferences { get; }
    public IReadOnlyList<SubqueryExpression> Subqueries { get; }

    /// <summary>Every "class" string seen anywhere in the tree.</summary>
    public IReadOnlySet<string> NodeClasses { get; }

    /// <summary>Every string-valued "type" seen anywhere in the tree (query nodes, table refs, expressions, modifiers, …).</summary>
    public IReadOnlySet<string> NodeTypes { get; }

    /// <summary>"class:X" / "type:X" strings not in <see cref="AstKinds"/>: the policy layer must refuse when non-empty.</summary>
    public IReadOnlySet<string> UnknownKinds { get; }

    public IEnumerable<TableReference> BaseTables => TableReferences.Where(t => t.Kind == TableRefKind.BaseTable);
}
