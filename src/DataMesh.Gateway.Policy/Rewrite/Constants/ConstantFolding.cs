using System.Text.Json.Nodes;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>
/// What planning learned about a query's constants: the check to run with the bound values before each execution
/// (its SQL text with the query's own <c>$n</c>, and the parameter numbers it names), and the session or clock calls.
/// </summary>
public sealed record ConstantPlan(string? ParameterCheck, IReadOnlySet<int> CheckedParameters, IReadOnlyList<SessionCall> SessionCalls)
{
    public static readonly ConstantPlan None = new(null, new HashSet<int>(), []);
}

/// <summary>
/// Evaluates every maximal constant sub-expression of a consumer query at planning time, before any data is touched,
/// as PostgreSQL does when it analyses and plans a query: an error there is the query's error (the engine's own
/// SQLSTATE and message), whatever the data and its statistics; an expression that evaluates stays as written (it is
/// deterministic, and the evaluation ran with the instance's settings and macros, so the engine computes the same
/// value). A constant string compared with a column of another type is also cast to that type, as DuckDB will.
/// Expressions with parameters are checked the same way before each execution (<see cref="ConstantPlan.ParameterCheck"/>).
/// </summary>
public static class ConstantFolding
{
    private const string Slot = "__datamesh_slot__";

    public static ConstantPlan Check(ParsedQuery query, GrantSet grants, IConstantEvaluator evaluator)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        try
        {
            return CheckAll(query, grants, evaluator);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            // An AST shape the check cannot rebuild: fail closed rather than run constants that were not checked.
            throw PolicyException.Refused("the query's constant expressions could not be checked before it runs");
        }
    }

    private static ConstantPlan CheckAll(ParsedQuery query, GrantSet grants, IConstantEvaluator evaluator)
    {
        var scan = ConstantScan.Of(query, GrantColumnTypes.Of(grants));
        var immutable = scan.Constants.Where(c => c.Kind == ConstantKind.Immutable).ToList();
        if (immutable.Count > 0) evaluator.Run(SelectOf(immutable, evaluator));
        var parameterized = scan.Constants.Where(c => c.Kind == ConstantKind.Parameterized).ToList();
        if (parameterized.Count == 0) return new ConstantPlan(null, new HashSet<int>(), scan.SessionCalls);
        var select = SelectOf(parameterized, evaluator);
        return new ConstantPlan(evaluator.Print(select), ParameterNumbers(parameterized), scan.SessionCalls);
    }

    /// <summary>One SELECT without FROM of every expression, and for each compared with a typed column, its cast to
    /// that type when it is a string (DuckDB casts the string, not the column).</summary>
    private static string SelectOf(IReadOnlyList<ConstantExpression> constants, IConstantEvaluator evaluator)
    {
        var document = JsonNode.Parse(evaluator.Serialize("SELECT 1"), documentOptions: new() { MaxDepth = 4096 })!;
        var list = new JsonArray();
        var templates = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var constant in constants)
        {
            var node = JsonNode.Parse(constant.Json, documentOptions: new() { MaxDepth = 4096 })!;
            node["alias"] = "c" + list.Count; // distinct names: the engine refuses duplicate result columns
            list.Add(node);
            if (constant.ComparedColumnType is not { } type) continue;
            if (!templates.TryGetValue(type, out var template)) templates[type] = template = ComparedCastTemplate(type, evaluator);
            var cast = FillSlots(template.DeepClone(), node);
            cast["alias"] = "c" + list.Count;
            list.Add(cast);
        }
        document["statements"]![0]!["node"]!["select_list"] = list;
        return document.ToJsonString();
    }

    /// <summary><c>CASE WHEN typeof(slot) = 'VARCHAR' THEN CAST(CAST(slot AS VARCHAR) AS type) END</c>, slots to fill.</summary>
    private static JsonNode ComparedCastTemplate(string type, IConstantEvaluator evaluator)
    {
        var template = JsonNode.Parse(evaluator.Serialize(
            $"SELECT CASE WHEN typeof('{Slot}') = 'VARCHAR' THEN CAST(CAST('{Slot}' AS VARCHAR) AS {type}) END"),
            documentOptions: new() { MaxDepth = 4096 })!;
        return SelectList(template)[0]!.DeepClone();
    }

    /// <summary>Replaces every slot constant below <paramref name="node"/> with a copy of <paramref name="expression"/>.</summary>
    private static JsonNode FillSlots(JsonNode node, JsonNode expression)
    {
        if (IsSlot(node)) return expression.DeepClone();
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                    if (o[key] is { } child && IsSlot(child)) o[key] = expression.DeepClone();
                    else if (o[key] is { } inner) FillSlots(inner, expression);
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is { } child && IsSlot(child)) a[i] = expression.DeepClone();
                    else if (a[i] is { } inner) FillSlots(inner, expression);
                break;
        }
        return node;
    }

    private static bool IsSlot(JsonNode node) =>
        node is JsonObject o && o["class"]?.GetValue<string>() == "CONSTANT"
        && o["value"]?["value"] is JsonValue v && v.TryGetValue<string>(out var s) && s == Slot;

    private static JsonArray SelectList(JsonNode document) =>
        document["statements"]![0]!["node"]!["select_list"]!.AsArray();

    private static IReadOnlySet<int> ParameterNumbers(IEnumerable<ConstantExpression> constants)
    {
        var numbers = new HashSet<int>();
        foreach (var constant in constants)
            foreach (var node in Descendants(JsonNode.Parse(constant.Json, documentOptions: new() { MaxDepth = 4096 })!))
                if (node is JsonObject o && o["class"]?.GetValue<string>() == "PARAMETER"
                    && int.TryParse(o["identifier"]?.GetValue<string>(), out var n))
                    numbers.Add(n);
        return numbers;
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode root)
    {
        var stack = new Stack<JsonNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            if (node is JsonObject o) foreach (var p in o) { if (p.Value is { } v) stack.Push(v); }
            else if (node is JsonArray a) foreach (var item in a) { if (item is { } v) stack.Push(v); }
        }
    }
}
