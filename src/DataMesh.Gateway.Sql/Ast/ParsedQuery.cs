namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// One SELECT statement read from DuckDB's syntax tree, once: the typed tree itself (<see cref="Statement"/>), and what
/// the whole tree contains, collected in document order. The JSON text it was read from is not kept: every step of
/// planning reads this tree, so the statement's JSON is parsed exactly once.
/// </summary>
public sealed class ParsedQuery
{
    internal ParsedQuery(string originalSql, AstNode statement, AstCollector collected)
    {
        OriginalSql = originalSql;
        Statement = statement;
        TableReferences = collected.TableReferences;
        FunctionCalls = collected.FunctionCalls;
        Parameters = collected.Parameters;
        ColumnReferences = collected.ColumnReferences;
        Subqueries = collected.Subqueries;
        NodeClasses = collected.NodeClasses;
        NodeTypes = collected.NodeTypes;
        UnknownKinds = collected.UnknownKinds;
    }

    /// <summary>The exact text DuckDB parsed; every <see cref="AstNode.Offset"/> is a char offset into it.</summary>
    public string OriginalSql { get; }

    /// <summary>The statement's tree (its "node" is the query).</summary>
    public AstNode Statement { get; }

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
