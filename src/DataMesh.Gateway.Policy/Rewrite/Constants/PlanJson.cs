using System.Text.Json;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>Small readers over DuckDB's bound plan (json_serialize_plan): a document of its own, read as JSON, and
/// compared with the query's typed syntax tree where a bound literal meets the literal it was bound from.</summary>
internal static class PlanJson
{
    public static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Every object below (and including) <paramref name="root"/>.</summary>
    public static IEnumerable<JsonElement> Objects(JsonElement root)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e.ValueKind == JsonValueKind.Object)
            {
                yield return e;
                foreach (var p in e.EnumerateObject()) stack.Push(p.Value);
            }
            else if (e.ValueKind == JsonValueKind.Array)
                foreach (var item in e.EnumerateArray()) stack.Push(item);
        }
    }

    /// <summary>The same JSON value: a string's text, a number as written, every property and item alike.</summary>
    public static bool SameValue(JsonElement plan, AstValue ast)
    {
        switch (plan.ValueKind)
        {
            case JsonValueKind.String:
                return ast.Kind == AstValueKind.String && plan.ValueEquals(ast.Text);
            case JsonValueKind.Number:
                return ast.Kind == AstValueKind.Number && plan.GetRawText() == ast.Text;
            case JsonValueKind.True:
                return ast.Kind == AstValueKind.True;
            case JsonValueKind.False:
                return ast.Kind == AstValueKind.False;
            case JsonValueKind.Null:
                return ast.Kind == AstValueKind.Null;
            case JsonValueKind.Array:
                if (ast.Kind != AstValueKind.Array || plan.GetArrayLength() != ast.Items.Count) return false;
                var i = 0;
                foreach (var item in plan.EnumerateArray())
                    if (!SameValue(item, ast.Items[i++])) return false;
                return true;
            case JsonValueKind.Object:
                if (ast.Node is not { } node) return false;
                var count = 0;
                foreach (var property in plan.EnumerateObject())
                {
                    count++;
                    if (!node.Has(property.Name) || !SameValue(property.Value, node[property.Name])) return false;
                }
                return count == node.Properties.Count;
            default:
                return false;
        }
    }
}
