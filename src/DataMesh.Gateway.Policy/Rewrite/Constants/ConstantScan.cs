using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>What a sub-expression's value depends on, from least to most.</summary>
public enum ConstantKind
{
    /// <summary>Only the query text and the project's instance: evaluated once at planning.</summary>
    Immutable,

    /// <summary>Also the bound parameters: evaluated at each execution, with the values, before the query runs.</summary>
    Parameterized,

    /// <summary>Also the session or the clock (see <see cref="ConstantFunctions.SessionOrClock"/>).</summary>
    SessionOrClock,

    /// <summary>A row (columns, aggregates, windows, subqueries, volatile calls): not a constant.</summary>
    Row,
}

/// <summary>A maximal constant sub-expression: its json_serialize_sql node (as JSON), and the type of the column it is
/// compared with (DuckDB casts a string constant to that type, lazily), if any.</summary>
public sealed record ConstantExpression(string Json, ConstantKind Kind, string? ComparedColumnType);

/// <summary>A call whose value depends on the session or the clock, at a char offset of the query text.</summary>
public sealed record SessionCall(int Offset, string Name, bool HasArguments);

/// <summary>
/// Finds the maximal constant sub-expressions of a consumer query: no column reference (lambda parameters of an
/// enclosing constant lambda excepted), no subquery, aggregate, window or volatile call. DuckDB folds such
/// expressions when it can, and when folding fails it evaluates them lazily, once per chunk, only if the optimizer
/// did not prove the surrounding filter false from file statistics (computed over hidden rows too): their errors are
/// a statistics oracle. The gateway evaluates them before any data is touched instead (<see cref="ConstantFolding"/>).
/// Session and clock calls are listed apart: their values cannot be planned once for every session.
/// </summary>
public sealed class ConstantScan
{
    private readonly IReadOnlyDictionary<string, string?> _columnTypes;
    private readonly List<ConstantExpression> _constants = [];
    private readonly List<SessionCall> _sessionCalls = [];

    private ConstantScan(IReadOnlyDictionary<string, string?> columnTypes) => _columnTypes = columnTypes;

    public IReadOnlyList<ConstantExpression> Constants => _constants;
    public IReadOnlyList<SessionCall> SessionCalls => _sessionCalls;

    /// <param name="columnTypes">DuckDB types of the columns the session may read, by name (unknown or ambiguous: null).</param>
    public static ConstantScan Of(ParsedQuery query, IReadOnlyDictionary<string, string?> columnTypes)
    {
        ArgumentNullException.ThrowIfNull(query);
        var scan = new ConstantScan(columnTypes);
        scan.VisitQueryParts(query.Statement);
        return scan;
    }

    /// <summary>Walks the non-expression parts (statements, query nodes, table refs, modifiers); each expression met is a root.</summary>
    private void VisitQueryParts(AstValue value)
    {
        if (value.Node is { } node) VisitQueryParts(node);
        else foreach (var item in value.Items) VisitQueryParts(item);
    }

    private void VisitQueryParts(AstNode e)
    {
        if (e.IsExpression)
        {
            var root = Classify(e, NoNames);
            if (root.Free.Count == 0) Record(e, root.Kind, null);
            return;
        }
        if (e.Type == "TABLE_FUNCTION" && e.Node("function") is { } call)
        {
            // FROM f(args): the call is the table function itself, evaluated once; its constant arguments are checked.
            Children(call, NoNames, ConstantKind.Row, null);
            foreach (var (name, value) in e.Properties)
                if (name != "function") VisitQueryParts(value);
            return;
        }
        foreach (var (_, value) in e.Properties) VisitQueryParts(value);
    }

    private readonly record struct Verdict(ConstantKind Kind, IReadOnlySet<string> Free);

    private static readonly IReadOnlySet<string> NoNames = new HashSet<string>();

    /// <param name="lambdaParameters">Names bound by enclosing lambdas: references to them are not columns.</param>
    private Verdict Classify(AstNode e, IReadOnlySet<string> lambdaParameters)
    {
        switch (e.Class)
        {
            case "CONSTANT":
                return new Verdict(ConstantKind.Immutable, NoNames);
            case "PARAMETER":
                return new Verdict(ConstantKind.Parameterized, NoNames);
            case "COLUMN_REF":
                return ColumnReference(e, lambdaParameters);
            case "SUBQUERY":
                // The subquery's own expressions are roots of their own.
                foreach (var (_, value) in e.Properties) VisitQueryParts(value);
                return new Verdict(ConstantKind.Row, NoNames);
            case "STAR" or "POSITIONAL_REFERENCE" or "WINDOW" or null:
                Children(e, lambdaParameters, ConstantKind.Row, null);
                return new Verdict(ConstantKind.Row, NoNames);
            case "LAMBDA":
                return Lambda(e, lambdaParameters);
            case "FUNCTION":
                return Function(e, lambdaParameters);
            default:
                return Children(e, lambdaParameters, ConstantKind.Immutable, e);
        }
    }

    private Verdict ColumnReference(AstNode e, IReadOnlySet<string> lambdaParameters)
    {
        var names = e["column_names"].Items;
        if (names.Count == 1 && names[0] is { Kind: AstValueKind.String, Text: { } name })
        {
            if (lambdaParameters.Contains(name)) return new Verdict(ConstantKind.Immutable, new HashSet<string> { name });
            // current_date, current_user, …: the binder turns these bare words into calls when no column has the name.
            if (FunctionCatalog.SqlValueFunctions.ContainsKey(FunctionPolicy.Normalize(name)))
            {
                AddSessionCall(e, name, hasArguments: false);
                return new Verdict(ConstantKind.SessionOrClock, NoNames);
            }
        }
        return new Verdict(ConstantKind.Row, NoNames);
    }

    private Verdict Lambda(AstNode e, IReadOnlySet<string> lambdaParameters)
    {
        var bound = new HashSet<string>(lambdaParameters);
        var own = new HashSet<string>();
        if (e.Node("lhs") is { } lhs)
            foreach (var node in lhs.Descendants())
                if (node.Class == "COLUMN_REF" && node["column_names"].Items is [{ Kind: AstValueKind.String, Text: { } n }])
                    own.Add(n);
        bound.UnionWith(own);
        if (e.Node("expr") is not { } body) return new Verdict(ConstantKind.Row, NoNames);
        var verdict = Classify(body, bound);
        // A body that uses no parameter is a constant of its own (evaluated once even over a column's list); a body
        // that uses them can be evaluated only with the lambda, when the whole call is constant.
        if (verdict.Free.Count == 0) Record(body, verdict.Kind, null);
        var free = new HashSet<string>(verdict.Free);
        free.ExceptWith(own);
        return new Verdict(verdict.Kind, free);
    }

    private Verdict Function(AstNode e, IReadOnlySet<string> lambdaParameters)
    {
        var name = FunctionPolicy.Normalize(e.FunctionName);
        var aggregate = !e.IsOperator && FunctionCatalog.Aggregates.Contains(name);
        var modified = !e["filter"].IsNull || e.Flag("distinct") || e.Node("order_bys")?["orders"].Items.Count > 0;
        if (aggregate || modified || name == "unnest" || ConstantFunctions.Volatile.Contains(name))
        {
            Children(e, lambdaParameters, ConstantKind.Row, null);
            return new Verdict(ConstantKind.Row, NoNames);
        }
        if (ConstantFunctions.SessionOrClock.Contains(name))
        {
            AddSessionCall(e, name, hasArguments: true);
            var inner = Children(e, lambdaParameters, ConstantKind.SessionOrClock, null);
            return new Verdict(inner.Kind, inner.Free);
        }
        return Children(e, lambdaParameters, ConstantKind.Immutable, e);
    }

    /// <summary>
    /// Classifies the children; the node's kind is the most dependent of theirs and <paramref name="own"/>. When the
    /// node is not constant, each constant child is a maximal constant sub-expression and is recorded.
    /// </summary>
    private Verdict Children(AstNode e, IReadOnlySet<string> lambdaParameters, ConstantKind own, AstNode? comparison)
    {
        var children = e.NestedExpressions();
        var verdicts = children.Select(c => Classify(c, lambdaParameters)).ToList();
        var kind = own;
        var free = new HashSet<string>();
        foreach (var v in verdicts)
        {
            if (v.Kind > kind) kind = v.Kind;
            free.UnionWith(v.Free);
        }
        // A node that is itself a whole constant is recorded by its parent; otherwise its constant children are maximal.
        if (kind is ConstantKind.SessionOrClock or ConstantKind.Row || free.Count > 0)
        {
            // Once per node: an IN list may have tens of thousands of children.
            var comparedType = comparison is { } c ? ComparedColumnType(c) : null;
            for (var i = 0; i < children.Count; i++)
                if (verdicts[i].Free.Count == 0)
                    Record(children[i], verdicts[i].Kind, comparedType);
        }
        return new Verdict(kind, free);
    }

    private void Record(AstNode e, ConstantKind kind, string? comparedType)
    {
        if (kind is not (ConstantKind.Immutable or ConstantKind.Parameterized)) return;
        var cls = e.Class;
        // A literal on its own is its value (LiteralCasts checks string literals compared with typed columns); a parameter
        // on its own, or CAST($n AS T) as the server writes for typed parameters, is decoded at Bind with its type.
        if (cls == "CONSTANT") return;
        if (cls is "PARAMETER" or "LAMBDA") return;
        if (cls == "CAST" && e.CastChild is { Class: "PARAMETER" }) return;
        _constants.Add(new ConstantExpression(e.ToJson(), kind, comparedType));
    }

    /// <summary>The known non-string type of a column compared in this comparison, IN list or BETWEEN (DuckDB casts a
    /// string operand to it); null when no operand is a column of a known type.</summary>
    private string? ComparedColumnType(AstNode comparison)
    {
        var operands = comparison.Class switch
        {
            "COMPARISON" => new[] { comparison.Left, comparison.Right },
            "BETWEEN" => [comparison.Input, comparison.Lower, comparison.Upper],
            "OPERATOR" when comparison.Type is "COMPARE_IN" or "COMPARE_NOT_IN" => comparison.Children.ToArray<AstNode?>(),
            _ => [],
        };
        foreach (var other in operands)
        {
            if (other is not { Class: "COLUMN_REF" } o) continue;
            var names = o["column_names"].Items;
            if (names.Count == 0 || names[^1] is not { Kind: AstValueKind.String, Text: { } name }) continue;
            if (_columnTypes.GetValueOrDefault(name) is { } type && !type.StartsWith("VARCHAR", StringComparison.OrdinalIgnoreCase))
                return type;
        }
        return null;
    }

    private void AddSessionCall(AstNode e, string name, bool hasArguments)
    {
        if (e.Offset is not { } offset) return;
        _sessionCalls.Add(new SessionCall(offset, name, hasArguments));
    }
}
