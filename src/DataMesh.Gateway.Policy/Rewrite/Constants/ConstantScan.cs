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

/// <summary>A constant expression to evaluate before the query runs: a maximal constant sub-expression of the query
/// (<see cref="Expression"/>, a node of its syntax tree), or one with the cast DuckDB's binder puts over it
/// (<see cref="BoundCasts"/>), whose operand may be a literal taken from the bound plan (<see cref="PlanValue"/>).
/// <see cref="ConstantCheck"/> writes it into the check query as a json_serialize_sql node.</summary>
public sealed record ConstantExpression(AstNode? Expression, ConstantKind Kind)
{
    /// <summary>A literal's "value" object as the bound plan writes it (when <see cref="Expression"/> is null).</summary>
    public string? PlanValue { get; init; }

    /// <summary>The type the binder casts the expression to (the plan's LogicalType object), or null for no cast.</summary>
    public string? CastType { get; init; }
}

/// <summary>An expression node of the query: its parent (-1 for a root), nesting depth below its root, and what its
/// value depends on (<see cref="UsesLambdaParameters"/>: it reads an enclosing lambda's parameters).</summary>
public readonly record struct ScannedNode(AstNode Node, int Parent, int Depth, ConstantKind Kind, bool UsesLambdaParameters)
{
    /// <summary>A value fixed before any row is read: immutable or over parameters only.</summary>
    public bool IsConstant => Kind is ConstantKind.Immutable or ConstantKind.Parameterized && !UsesLambdaParameters;
}

/// <summary>A call whose value depends on the session or the clock, at a char offset of the query text.</summary>
public sealed record SessionCall(int Offset, string Name, bool HasArguments);

/// <summary>
/// Finds the maximal constant sub-expressions of a consumer query: no column reference (lambda parameters of an
/// enclosing constant lambda excepted), no subquery, aggregate, window or volatile call. DuckDB folds such
/// expressions when it can, and when folding fails it evaluates them lazily, once per chunk, only if the optimizer
/// did not prove the surrounding filter false from file statistics (computed over hidden rows too): their errors are
/// a statistics oracle. The gateway evaluates them before any data is touched instead (<see cref="ConstantFolding"/>).
/// Session and clock calls are listed apart: their values cannot be planned once for every session. Every expression
/// node is also indexed (<see cref="Nodes"/>), so that the casts DuckDB's binder adds can be traced back to the text.
/// </summary>
public sealed class ConstantScan
{
    private readonly List<ConstantExpression> _constants = [];
    private readonly List<SessionCall> _sessionCalls = [];
    private readonly List<ScannedNode> _nodes = [];
    private int _current = -1;

    private ConstantScan()
    {
    }

    public IReadOnlyList<ConstantExpression> Constants => _constants;
    public IReadOnlyList<SessionCall> SessionCalls => _sessionCalls;

    /// <summary>Every expression node of the query, parents before children.</summary>
    public IReadOnlyList<ScannedNode> Nodes => _nodes;

    /// <summary>Scans the query's own typed tree (no JSON is read again).</summary>
    public static ConstantScan Of(ParsedQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var scan = new ConstantScan();
        scan.VisitQueryParts(query.Statement);
        return scan;
    }

    /// <summary>Walks the parts that are not expressions (statements, query nodes, table refs, modifiers); each
    /// expression met is a root.</summary>
    private void VisitQueryParts(AstValue value)
    {
        if (value.Node is { } node)
        {
            VisitQueryParts(node);
            return;
        }
        foreach (var item in value.Items) VisitQueryParts(item);
    }

    private void VisitQueryParts(AstNode e)
    {
        if (e.IsExpression)
        {
            var root = Classify(e, NoNames);
            if (root.Free.Count == 0) Record(e, root.Kind);
            return;
        }
        var call = e.Type == "TABLE_FUNCTION" ? e.Node("function") : null;
        // FROM f(args): the call is the table function itself, evaluated once; its constant arguments are checked.
        if (call is not null) Children(call, NoNames, ConstantKind.Row);
        foreach (var (name, value) in e.Properties)
            if (call is null || name != "function") VisitQueryParts(value);
    }

    private readonly record struct Verdict(ConstantKind Kind, IReadOnlySet<string> Free);

    private static readonly IReadOnlySet<string> NoNames = new HashSet<string>();

    /// <param name="lambdaParameters">Names bound by enclosing lambdas: references to them are not columns.</param>
    private Verdict Classify(AstNode e, IReadOnlySet<string> lambdaParameters)
    {
        var parent = _current;
        var index = _nodes.Count;
        _nodes.Add(new ScannedNode(e, parent, parent < 0 ? 0 : _nodes[parent].Depth + 1, ConstantKind.Row, false));
        _current = index;
        try
        {
            var verdict = ClassifyNode(e, lambdaParameters);
            _nodes[index] = _nodes[index] with { Kind = verdict.Kind, UsesLambdaParameters = verdict.Free.Count > 0 };
            return verdict;
        }
        finally
        {
            _current = parent;
        }
    }

    /// <summary>The subquery's own expressions are roots of their own, with no expression parent.</summary>
    private void VisitSubquery(AstNode e)
    {
        var outer = _current;
        _current = -1;
        try
        {
            foreach (var (_, value) in e.Properties) VisitQueryParts(value);
        }
        finally
        {
            _current = outer;
        }
    }

    private Verdict ClassifyNode(AstNode e, IReadOnlySet<string> lambdaParameters)
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
                VisitSubquery(e);
                return new Verdict(ConstantKind.Row, NoNames);
            case "STAR" or "POSITIONAL_REFERENCE" or "WINDOW" or null:
                Children(e, lambdaParameters, ConstantKind.Row);
                return new Verdict(ConstantKind.Row, NoNames);
            case "LAMBDA":
                return Lambda(e, lambdaParameters);
            case "FUNCTION":
                return Function(e, lambdaParameters);
            default:
                return Children(e, lambdaParameters, ConstantKind.Immutable);
        }
    }

    private Verdict ColumnReference(AstNode e, IReadOnlySet<string> lambdaParameters)
    {
        if (SingleName(e) is { } name)
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

    /// <summary>A COLUMN_REF's name when it is a single unqualified word (a lambda parameter, or current_date).</summary>
    private static string? SingleName(AstNode columnRef) =>
        columnRef["column_names"].Items is [{ Kind: AstValueKind.String, Text: { } name }] ? name : null;

    private Verdict Lambda(AstNode e, IReadOnlySet<string> lambdaParameters)
    {
        var bound = new HashSet<string>(lambdaParameters);
        var own = new HashSet<string>();
        if (e.Node("lhs") is { } lhs)
            foreach (var node in lhs.Descendants())
                if (node.Class == "COLUMN_REF" && SingleName(node) is { } parameter)
                    own.Add(parameter);
        bound.UnionWith(own);
        if (e.Node("expr") is not { } body) return new Verdict(ConstantKind.Row, NoNames);
        var verdict = Classify(body, bound);
        // A body that uses no parameter is a constant of its own (evaluated once even over a column's list); a body
        // that uses them can be evaluated only with the lambda, when the whole call is constant.
        if (verdict.Free.Count == 0) Record(body, verdict.Kind);
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
            Children(e, lambdaParameters, ConstantKind.Row);
            return new Verdict(ConstantKind.Row, NoNames);
        }
        if (ConstantFunctions.SessionOrClock.Contains(name))
        {
            AddSessionCall(e, name, hasArguments: true);
            var inner = Children(e, lambdaParameters, ConstantKind.SessionOrClock);
            return new Verdict(inner.Kind, inner.Free);
        }
        return Children(e, lambdaParameters, ConstantKind.Immutable);
    }

    /// <summary>
    /// Classifies the children; the node's kind is the most dependent of theirs and <paramref name="own"/>. When the
    /// node is not constant, each constant child is a maximal constant sub-expression and is recorded.
    /// </summary>
    private Verdict Children(AstNode e, IReadOnlySet<string> lambdaParameters, ConstantKind own)
    {
        // Last to first, as this scan has always visited them: the order of the checks decides which of two failing
        // constants reports its error, and that order is part of the behaviour clients see.
        var children = e.NestedExpressions().Reverse().ToList();
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
            for (var i = 0; i < children.Count; i++)
                if (verdicts[i].Free.Count == 0)
                    Record(children[i], verdicts[i].Kind);
        }
        return new Verdict(kind, free);
    }

    private void Record(AstNode e, ConstantKind kind)
    {
        if (kind is not (ConstantKind.Immutable or ConstantKind.Parameterized)) return;
        var cls = e.Class;
        // A literal on its own is its value (the cast the binder may put over it is BoundCasts' business); a parameter
        // on its own, or CAST($n AS T) as the server writes for typed parameters, is decoded at Bind with its type.
        if (cls == "CONSTANT") return;
        if (cls is "PARAMETER" or "LAMBDA") return;
        if (cls == "CAST" && e.CastChild?.Class == "PARAMETER") return;
        _constants.Add(new ConstantExpression(e, kind));
    }

    private void AddSessionCall(AstNode e, string name, bool hasArguments)
    {
        if (e.Offset is not { } offset) return;
        _sessionCalls.Add(new SessionCall(offset, name, hasArguments));
    }
}
