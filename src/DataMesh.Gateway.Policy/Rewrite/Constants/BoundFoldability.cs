using System.Text.Json;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>
/// Reads bound expressions of a json_serialize_plan document: whether one is fixed before any row is read (no column,
/// aggregate, window, subquery, lambda parameter, unnest, parameter, or volatile, session or clock call; DuckDB's
/// "foldable"), and its type.
/// </summary>
public static class BoundFoldability
{
    private static readonly HashSet<string> Foldable = new(StringComparer.Ordinal)
    {
        "BOUND_CONSTANT", "BOUND_CAST", "BOUND_FUNCTION", "BOUND_OPERATOR", "BOUND_COMPARISON", "BOUND_CONJUNCTION",
        "BOUND_BETWEEN", "BOUND_CASE", "BOUND_LAMBDA",
    };

    public static bool IsFoldable(JsonElement bound)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(bound);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray()) stack.Push(item);
                continue;
            }
            if (e.ValueKind != JsonValueKind.Object) continue;
            if (Text(e, "expression_class") is { } cls)
            {
                if (!Foldable.Contains(cls)) return false;
                if (cls == "BOUND_FUNCTION" && Text(e, "name") is { } name
                    && (ConstantFunctions.Volatile.Contains(name) || ConstantFunctions.SessionOrClock.Contains(name)))
                    return false;
                if (cls == "BOUND_LAMBDA")
                {
                    // The body reads the lambda's own parameters; only what it captures from outside matters.
                    if (e.TryGetProperty("captures", out var captures)) stack.Push(captures);
                    continue;
                }
            }
            foreach (var p in e.EnumerateObject())
                if (p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array) stack.Push(p.Value);
        }
        return true;
    }

    /// <summary>The bound expression's type (a literal's value type, else its return type; BOOLEAN for predicates).</summary>
    public static JsonElement? TypeOf(JsonElement bound)
    {
        if (Text(bound, "expression_class") == "BOUND_CONSTANT")
            return bound.TryGetProperty("value", out var v) && v.TryGetProperty("type", out var t) ? t : null;
        if (bound.TryGetProperty("return_type", out var r)) return r;
        return Text(bound, "expression_class") is "BOUND_COMPARISON" or "BOUND_CONJUNCTION" or "BOUND_BETWEEN" ? Boolean : null;
    }

    private static readonly JsonElement Boolean = JsonDocument.Parse("{\"id\":\"BOOLEAN\"}").RootElement.Clone();

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
