using System.Text.Json;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>What DuckDB's binder said about a query's constants: the checks to run, or why it could not bind.</summary>
public sealed record BoundCastResult(IReadOnlyList<ConstantExpression> Checks, string? ErrorType = null, string? ErrorMessage = null);

/// <summary>
/// The casts DuckDB's binder puts over a query's constants, read from its own bound plan (json_serialize_plan), so that
/// each can be evaluated before any data is touched. A constant's type often comes from where it stands: a string
/// compared with a computed number (<c>item_id + 0 = lower('X')</c>), a member of an IN list or a BETWEEN bound, a CASE
/// branch of another type, an argument of a function that takes a number (<c>substr(region, 'x')</c>), a parameter whose
/// value is text. DuckDB evaluates such a cast lazily, only where rows reach it, and the optimizer decides from file
/// statistics (over hidden rows too) whether they do: its error was a statistics oracle. Rather than list those places,
/// this reads every non-TRY cast in the plan whose operand traces back (by its text location) to a constant of the
/// query and whose types allow it to fail, and gives back <c>CAST(constant AS type)</c> over the query's own node of
/// the constant (a literal operand is taken from the plan itself: it is its value). The plan is JSON read here; the
/// query's side is its typed tree, as <see cref="ConstantScan"/> indexed it.
/// A fallible cast over a constant operand that holds some of the query's constants but cannot be traced back (DuckDB
/// rebuilt it) fails the query: fail closed.
/// </summary>
public sealed class BoundCasts
{
    private readonly ConstantScan _scan;
    private readonly PlanText _text;
    private readonly Dictionary<ulong, List<int>> _byLocation = [];
    private readonly Dictionary<int, HashSet<ulong>> _leafSets = [];
    private readonly Dictionary<(int Node, string Type), ConstantExpression> _checks = [];
    private readonly Dictionary<(string Value, string Type), ConstantExpression> _literals = [];

    private BoundCasts(ConstantScan scan, PlanText text)
    {
        _scan = scan;
        _text = text;
        for (var i = 0; i < scan.Nodes.Count; i++)
        {
            if (!scan.Nodes[i].IsConstant || scan.Nodes[i].Node.Class == "LAMBDA") continue;
            foreach (var location in Locations(scan.Nodes[i].Node))
            {
                if (!_byLocation.TryGetValue(location, out var list)) _byLocation[location] = list = [];
                list.Add(i);
            }
        }
    }

    /// <param name="planJson">json_serialize_plan of <see cref="PlanText.Sql"/> (skip_null: an empty string is a value).</param>
    public static BoundCastResult Find(string planJson, ConstantScan scan, PlanText text)
    {
        ArgumentNullException.ThrowIfNull(planJson);
        using var plan = JsonDocument.Parse(planJson, new JsonDocumentOptions { MaxDepth = 8192 });
        var root = plan.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.True)
            return new BoundCastResult([], Text(root, "error_type") ?? "", Text(root, "error_message") ?? "");
        var finder = new BoundCasts(scan, text);
        finder.Visit(root);
        return new BoundCastResult([.. finder._literals.Values, .. finder._checks.Values]);
    }

    private void Visit(JsonElement e)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(e);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in node.EnumerateArray()) stack.Push(item);
                continue;
            }
            if (node.ValueKind != JsonValueKind.Object) continue;
            if (Text(node, "expression_class") == "BOUND_CAST") Cast(node);
            foreach (var p in node.EnumerateObject()) stack.Push(p.Value);
        }
    }

    private void Cast(JsonElement cast)
    {
        if (cast.TryGetProperty("try_cast", out var isTry) && isTry.ValueKind == JsonValueKind.True) return;
        if (!cast.TryGetProperty("child", out var child) || !cast.TryGetProperty("return_type", out var target)) return;
        if (!BoundFoldability.IsFoldable(child) || !CastSafety.CanFail(BoundFoldability.TypeOf(child), target)) return;
        // CAST($n AS T) as written in the text (DuckDB gives an added cast its operand's location): the value is a T.
        if (IsParameterStandIn(child) && !IsParameterStandIn(cast)) return;
        var type = target.GetRawText();
        if (Text(child, "expression_class") == "BOUND_CONSTANT" && !IsParameterStandIn(child))
        {
            // A literal is its value, wherever it came from (COLLATE and macros rebuild literals without a location).
            if (!child.TryGetProperty("value", out var value) || value.TryGetProperty("is_null", out var isNull) && isNull.ValueKind == JsonValueKind.True)
                return;
            var literal = value.GetRawText();
            _literals.TryAdd((literal, type), new ConstantExpression(null, ConstantKind.Immutable) { PlanValue = literal, CastType = type });
            return;
        }
        var node = Trace(child);
        if (node >= 0)
        {
            if (_checks.ContainsKey((node, type))) return;
            var ast = _scan.Nodes[node];
            _checks[(node, type)] = new ConstantExpression(ast.Node, ast.Kind) { CastType = type };
            return;
        }
        if (HoldsQueryConstant(child))
            throw new PolicyException("0A000", "the gateway cannot check a constant expression of this query before it runs",
                "cast the constant to the type it is compared with, or compute it in a separate query");
    }

    private bool IsParameterStandIn(JsonElement bound) =>
        bound.TryGetProperty("query_location", out var l) && l.TryGetUInt64(out var at) && _text.IsInParameter(at);

    /// <summary>The query's constant node the bound expression was bound from, or -1: by its text location (the
    /// best-matching, outermost constant there), else by the literals and parameters it holds.</summary>
    private int Trace(JsonElement bound)
    {
        if (PlanLocation(bound) is { } location)
        {
            int best = -1, bestScore = 0;
            if (!_byLocation.TryGetValue(location, out var candidates)) return -1;
            foreach (var i in candidates)
            {
                var score = Match(bound, _scan.Nodes[i].Node);
                if (score > bestScore || (score == bestScore && score > 0 && _scan.Nodes[i].Depth < _scan.Nodes[best].Depth))
                    (best, bestScore) = (i, score);
            }
            return best;
        }
        // No location (COLLATE and some rewrites rebuild the node): the query's literals and parameters it holds, found
        // at their own locations, must be exactly those of the candidate, the best-matching and outermost one.
        var leaves = new HashSet<ulong>();
        foreach (var d in Objects(bound))
            if (Text(d, "expression_class") == "BOUND_CONSTANT" && PlanLocation(d) is { } l
                && _byLocation.TryGetValue(l, out var at) && at.Any(i => IsLeaf(i) && Match(d, _scan.Nodes[i].Node) > 0))
                leaves.Add(l);
        if (leaves.Count == 0 || !_byLocation.TryGetValue(leaves.Min(), out var starts)) return -1;
        int found = -1, foundScore = 0;
        foreach (var start in starts.Where(IsLeaf))
            for (var a = start; a >= 0 && _scan.Nodes[a].IsConstant && _scan.Nodes[a].Node.Class != "LAMBDA"; a = _scan.Nodes[a].Parent)
            {
                var own = LeafSet(a);
                if (!own.IsSubsetOf(leaves)) break;
                if (!own.SetEquals(leaves)) continue;
                var score = Match(bound, _scan.Nodes[a].Node);
                if (score > foundScore || (score == foundScore && score > 0 && _scan.Nodes[a].Depth < _scan.Nodes[found].Depth))
                    (found, foundScore) = (a, score);
            }
        return found;
    }

    private bool IsLeaf(int node) => _scan.Nodes[node].Node.Class is "CONSTANT" or "PARAMETER";

    /// <summary>Whether some node of the bound expression is one of the query's constants.</summary>
    private bool HoldsQueryConstant(JsonElement bound)
    {
        foreach (var d in Objects(bound))
            if (PlanLocation(d) is { } l && _byLocation.TryGetValue(l, out var nodes) && nodes.Any(i => Match(d, _scan.Nodes[i].Node) > 0))
                return true;
        return false;
    }

    /// <summary>
    /// How well a bound node matches a query node at the same location: 2 for the same kind (a literal must be the same
    /// literal, since DuckDB binds its own macros from their definition text, whose locations can coincide with the
    /// query's; a call the same function; a parameter's stand-in anything), 1 for another expression that is not a
    /// literal (a call bound to a macro's body, an operator bound as a function), 0 for no match.
    /// </summary>
    private static int Match(JsonElement bound, AstNode ast)
    {
        var boundClass = Text(bound, "expression_class") ?? "";
        var astClass = ast.Class;
        if (astClass == "PARAMETER") return 2;
        if (astClass == "LAMBDA") return 0;
        if (astClass == "CONSTANT" || boundClass == "BOUND_CONSTANT")
            return astClass == "CONSTANT" && boundClass == "BOUND_CONSTANT" && SameValue(bound, ast) ? 2 : 0;
        if (astClass == "FUNCTION" && boundClass == "BOUND_FUNCTION")
            return string.Equals(ast.FunctionName, Text(bound, "name"), StringComparison.OrdinalIgnoreCase) ? 2 : 1;
        return boundClass == "BOUND_" + astClass ? 2 : 1;
    }

    private static bool SameValue(JsonElement bound, AstNode ast)
    {
        if (!bound.TryGetProperty("value", out var b) || ast.Node("value") is not { } a) return false;
        if (!b.TryGetProperty("type", out var bt) || a.Node("type") is not { } at) return false;
        if (Text(bt, "id") != at.String("id")) return false;
        var bNull = b.TryGetProperty("is_null", out var bn) && bn.ValueKind == JsonValueKind.True;
        var aNull = a.Flag("is_null");
        if (bNull || aNull) return bNull == aNull;
        return b.TryGetProperty("value", out var bv) && a.Has("value") && PlanJson.SameValue(bv, a["value"]);
    }

    /// <summary>The locations of the literals and parameters below (and including) a query node (a parameter written
    /// more than once has no single location and counts for none).</summary>
    private HashSet<ulong> LeafSet(int node)
    {
        if (_leafSets.TryGetValue(node, out var known)) return known;
        var set = new HashSet<ulong>();
        foreach (var d in _scan.Nodes[node].Node.Descendants())
            if (d.Class is "CONSTANT" or "PARAMETER" && Locations(d) is [var l]) set.Add(l);
        return _leafSets[node] = set;
    }

    /// <summary>A query node's text location; for a parameter, where each of its occurrences is written.</summary>
    private IReadOnlyList<ulong> Locations(AstNode ast) =>
        ast.Class == "PARAMETER" ? _text.ParameterLocations(ast.String("identifier") ?? "")
        : Location(ast) is { } l ? [l] : [];

    private ulong? PlanLocation(JsonElement bound) =>
        bound.TryGetProperty("query_location", out var l) && l.TryGetUInt64(out var at) ? _text.ToQueryLocation(at) : null;

    /// <summary>A query node's UTF-8 byte location, as the plan's locations are (PlanText maps between the two texts).</summary>
    private static ulong? Location(AstNode ast) =>
        ast["query_location"].TryGetUInt64(out var at) && at != Utf8Offsets.NoLocation ? at : null;

    /// <summary>Every bound expression object below (and including) <paramref name="root"/>.</summary>
    private static IEnumerable<JsonElement> Objects(JsonElement root) =>
        PlanJson.Objects(root).Where(d => Text(d, "expression_class") is not null);

    private static string? Text(JsonElement e, string name) => PlanJson.Text(e, name);
}
