using System.Globalization;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Functions;

/// <summary>One expression that is not leak-proof: its char offset in the query text (when known) and why.</summary>
public sealed record LeakFinding(int? Offset, string ExpressionClass, string Reason);

/// <summary>The result of <see cref="LeakProofness.Analyze(ParsedQuery)"/>.</summary>
public sealed record BarrierAnalysis(IReadOnlyList<LeakFinding> Findings)
{
    /// <summary>True when a query that reads a protected asset must fence its policy subqueries (OFFSET 0 or the
    /// CASE projection), because some expression might be evaluated on rows the row filter excludes.</summary>
    public bool RequiresBarrier => Findings.Count > 0;
}

/// <summary>
/// Decides whether an expression is leak-proof: it can never raise an error (nor otherwise behave differently) because
/// of the values of rows a row filter excludes, so DuckDB may push it below the filter without opening an error
/// oracle (REFERENCE.md, "Errors that depend on hidden rows").
///
/// <para>Leak-proof, and nothing else:</para>
/// <list type="bullet">
/// <item>column references, positional references, constants, parameters on their own (<c>WHERE flag</c>);</item>
/// <item>AND, OR, NOT, IS [NOT] NULL over leak-proof operands;</item>
/// <item>the comparisons = &lt;&gt; &lt; &lt;= &gt; &gt;= IS [NOT] DISTINCT FROM, IN (list), NOT IN (list), BETWEEN,
/// LIKE / NOT LIKE / ILIKE / NOT ILIKE (without ESCAPE) between a column and a constant, or between two columns,
/// ONLY when no per-row cast can fail. DuckDB casts implicitly: a VARCHAR column compared with <c>5</c> is cast to
/// INTEGER row by row, and a string literal compared with a BIGINT or DATE column is cast lazily, so
/// <c>id = K AND s = 'x'</c> raises "Could not convert string" exactly when row K exists (verified on 1.5.6; see the
/// tests). So a comparison is leak-proof only when the column types are known (the resolver given to the
/// constructor) and the pair is known to compare without a failing cast (<see cref="Compatible"/>); with unknown
/// column types every comparison involving a column is NOT leak-proof;</item>
/// <item>aggregate calls and window functions whose arguments (and FILTER, ORDER BY, PARTITION BY, frame bounds)
/// are leak-proof: an aggregate consumes the rows its input produced, after the policy subquery's filter, so its own
/// failures (overflow of sum) depend on visible rows only. <c>count(…)</c> is a BIGINT operand in comparisons
/// (<c>HAVING count(*) &gt; 1</c>); other aggregate results have no known type and compare as unknown.</item>
/// </list>
/// <para>Leak-proof too: <c>+ - *</c> over DECIMAL columns and numeric constants whose exact result fits 38 digits
/// (see <see cref="DecimalShape"/>).</para>
/// <para>Not leak-proof (per operator): other <c>+ - *</c> (integer and decimal overflow, date ± interval out of range),
/// unary <c>-</c> (negating the minimum integer overflows), <c>/ // %</c> (decimal overflow; with unknown types the
/// policy cannot tell an integer division from a float one), <c>**</c>/<c>^</c>, <c>!</c>; every CAST and TRY_CAST of
/// a column (casts fail; TRY_CAST still opens a timing channel and is kept out for simplicity); CAST of a constant
/// unless it is a valid typed literal (<c>DATE '2024-01-31'</c>); CASE, COALESCE, TRY, COLLATE, subscripts, slices,
/// lambdas, subqueries (a scalar subquery errors on more than one row); SIMILAR TO and LIKE … ESCAPE (invalid patterns
/// raise errors); GLOB; and every other function, including the REFERENCE.md error oracles chr, list_reduce,
/// to_timestamp, epoch_ms, regexp_replace, string_split_regex, to_base, ln, json parsing and strptime.</para>
/// <para>Each node is judged on its own operation, its operands separately, so a finding names the node it is about:
/// in <c>chr(x) IS NOT NULL</c> the culprit is chr, and in <c>upper(name) = 'X'</c> there are two (upper, and the
/// comparison, whose implicit cast between an unknown type and VARCHAR cannot be checked).</para>
/// </summary>
public sealed partial class LeakProofness
{
    private readonly Func<IReadOnlyList<string>, string?>? _columnType;

    /// <param name="columnType">
    /// The DuckDB type of a column reference (its parts as written, e.g. ["t", "amount"]) or null when unknown. Without
    /// a resolver no comparison with a column is leak-proof.
    /// </param>
    public LeakProofness(Func<IReadOnlyList<string>, string?>? columnType = null) => _columnType = columnType;

    /// <summary>A classifier that knows no column types (the most conservative).</summary>
    public static readonly LeakProofness Untyped = new();

    public bool IsLeakProof(AstNode expression) => WhyNot(expression) is null;

    /// <summary>Null when the expression is leak-proof, otherwise the reason of its first (pre-order) culprit.</summary>
    public string? WhyNot(AstNode e)
    {
        foreach (var node in ExpressionNodes(e))
            if (OwnReason(node) is { } why) return why;
        return null;
    }

    /// <summary>
    /// Why this node itself may fail or behave differently on some row values, judging its own operation only: its
    /// operands are judged as nodes of their own. An expression is leak-proof exactly when none of its nodes has a
    /// reason, and each reason is reported at the node it is about (the chr call, not the IS NOT NULL around it).
    /// </summary>
    private string? OwnReason(AstNode e)
    {
        var cls = e.Class;
        var type = e.Type ?? "";
        switch (cls)
        {
            case "CONSTANT":
            case "COLUMN_REF":
            case "POSITIONAL_REFERENCE":
            case "PARAMETER":
            case "STAR":
                // A star (with COLUMNS, EXCLUDE or REPLACE) only names columns; REPLACE expressions are nodes of their own.
                return null;
            case "CONJUNCTION":
                return type is "CONJUNCTION_AND" or "CONJUNCTION_OR" ? null : $"unknown conjunction {type}";
            case "OPERATOR":
                return type switch
                {
                    "OPERATOR_NOT" or "OPERATOR_IS_NULL" or "OPERATOR_IS_NOT_NULL" => null,
                    "COMPARE_IN" or "COMPARE_NOT_IN" => InList(e.Children),
                    _ => $"operator {type} may fail or is not known to be leak-proof",
                };
            case "COMPARISON":
                if (!IsComparison(type)) return $"unknown comparison {type}";
                if (e.Left is not { } left || e.Right is not { } right)
                    return "malformed comparison";
                return Compare(left, right);
            case "BETWEEN":
                if (e.Input is not { } input || e.Lower is not { } lower || e.Upper is not { } upper)
                    return "malformed BETWEEN";
                return Compare(input, lower) ?? Compare(input, upper);
            case "CAST":
                return ValidTypedLiteral(e) is not null || TypedParameter(e) is not null ? null : "a cast may fail on some values";
            case "FUNCTION":
                return Function(e);
            case "WINDOW":
                {
                    // Window functions run above the policy subquery, over the rows its filter let through.
                    var name = FunctionPolicy.Normalize(e.FunctionName);
                    return FunctionCatalog.Aggregates.Contains(name) ? null : $"window function {name} is not known to be leak-proof";
                }
            case null:
                return "not an expression";
            default:
                return $"{cls} expressions are not leak-proof";
        }
    }

    /// <summary>
    /// The expression <paramref name="root"/> and every expression node below it, pre-order, without entering
    /// subqueries (query nodes, the objects holding a cte_map): a subquery is a SUBQUERY node of its own, and
    /// <see cref="Analyze(ParsedQuery)"/> visits the query inside it as a query.
    /// </summary>
    private static IEnumerable<AstNode> ExpressionNodes(AstNode root)
    {
        var stack = new Stack<AstNode>();
        stack.Push(root);
        var children = new List<AstNode>();
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e.IsQueryNode) continue;
            if (e.IsExpression) yield return e;
            children.Clear();
            foreach (var (_, value) in e.Properties) AddNodes(children, value);
            // Reverse, so that the first operand is visited first.
            for (var i = children.Count - 1; i >= 0; i--) stack.Push(children[i]);
        }
    }

    private static void AddNodes(List<AstNode> nodes, AstValue value)
    {
        if (value.Node is { } node) nodes.Add(node);
        else foreach (var item in value.Items) AddNodes(nodes, item);
    }

    /// <summary>
    /// Every expression node that is not leak-proof on its own account (see <see cref="OwnReason"/>), found from the
    /// expression roots of the query (WHERE, JOIN … ON, HAVING, QUALIFY, select list, GROUP BY, ORDER BY, window
    /// specifications, LIMIT/OFFSET, subqueries at any depth). Arguments of FROM-clause
    /// table functions are evaluated once, not per row, and are skipped. Conservative: any finding means a query that
    /// reads a protected asset needs a barrier.
    /// </summary>
    public BarrierAnalysis Analyze(ParsedQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Analyze(query.Statement);
    }

    /// <summary>As <see cref="Analyze(ParsedQuery)"/> over any part of a tree.</summary>
    public BarrierAnalysis Analyze(AstNode root)
    {
        var findings = new List<LeakFinding>();
        var stack = new Stack<AstNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e.IsExpression)
            {
                foreach (var node in ExpressionNodes(e))
                    if (OwnReason(node) is { } why) findings.Add(new LeakFinding(node.Offset, node.Class!, why));
                // Subqueries inside the expression have their own roots.
                foreach (var inner in QueryNodesBelow(e)) stack.Push(inner);
                continue;
            }
            var isTableFunction = e.Type == "TABLE_FUNCTION";
            foreach (var (name, value) in e.Properties)
            {
                if (isTableFunction && name == "function")
                {
                    // Arguments are evaluated once; subqueries in them still count.
                    if (value.Node is { } call) foreach (var inner in QueryNodesBelow(call)) stack.Push(inner);
                    continue;
                }
                PushNodes(stack, value);
            }
        }
        return new BarrierAnalysis(findings);
    }

    private static void PushNodes(Stack<AstNode> stack, AstValue value)
    {
        if (value.Node is { } node) stack.Push(node);
        else foreach (var item in value.Items) PushNodes(stack, item);
    }

    /// <summary>The outermost query nodes (objects with a cte_map) nested inside <paramref name="e"/>.</summary>
    private static IEnumerable<AstNode> QueryNodesBelow(AstNode e)
    {
        foreach (var (_, value) in e.Properties)
            foreach (var node in OutermostQueryNodes(value))
                yield return node;
    }

    private static IEnumerable<AstNode> OutermostQueryNodes(AstValue value)
    {
        var stack = new Stack<AstValue>();
        stack.Push(value);
        while (stack.Count > 0)
        {
            var x = stack.Pop();
            if (x.Node is { } node)
            {
                if (node.IsQueryNode)
                {
                    yield return node;
                    continue;
                }
                foreach (var (_, child) in node.Properties) stack.Push(child);
                continue;
            }
            foreach (var item in x.Items) stack.Push(item);
        }
    }

    private static bool IsComparison(string type) => type is "COMPARE_EQUAL" or "COMPARE_NOTEQUAL" or "COMPARE_LESSTHAN"
        or "COMPARE_GREATERTHAN" or "COMPARE_LESSTHANOREQUALTO" or "COMPARE_GREATERTHANOREQUALTO"
        or "COMPARE_DISTINCT_FROM" or "COMPARE_NOT_DISTINCT_FROM";

    private static readonly HashSet<string> LikeOperators = new(StringComparer.Ordinal) { "~~", "!~~", "~~*", "!~~*" };

    private string? Function(AstNode e)
    {
        var name = FunctionPolicy.Normalize(e.FunctionName);
        var isOperator = e.IsOperator;
        var children = e.Children;
        if (isOperator && LikeOperators.Contains(name) && children.Count == 2)
        {
            // LIKE never fails on two strings; require a string column against a string constant (or two string columns).
            if (Operand(children[0]) is not { } value || Operand(children[1]) is not { } pattern)
                return "LIKE over something other than a column or a constant";
            return IsStringOperand(value) && IsStringOperand(pattern) ? null : "LIKE whose operands are not known to be strings";
        }
        if (!isOperator && FunctionCatalog.Aggregates.Contains(name) && FunctionCatalog.AllowedScalar.Contains(name))
            return null;
        if (isOperator && name is "+" or "-" or "*" && children.Count == 2 && DecimalShape(e) is not null)
            return null;
        return isOperator ? $"operator {name} may fail (overflow, invalid input) or is not known to be leak-proof"
            : $"function {name} may fail on some values or is not known to be leak-proof";
    }
}
