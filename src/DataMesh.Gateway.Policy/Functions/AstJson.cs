using System.Text.Json;

namespace DataMesh.Gateway.Policy.Functions;

/// <summary>Small readers over json_serialize_sql expression nodes.</summary>
internal static class AstJson
{
    public static string? Class(JsonElement node) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("class", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString() : null;

    public static string? Type(JsonElement node) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString() : null;

    public static string? String(JsonElement node, string name) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;

    public static bool IsExpression(JsonElement node) => Class(node) is not null;

    public static JsonElement? Property(JsonElement node, string name) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static IReadOnlyList<JsonElement> Children(JsonElement node, string name = "children")
    {
        if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(name, out var children) || children.ValueKind != JsonValueKind.Array)
            return [];
        return children.EnumerateArray().ToList();
    }

    /// <summary>Every object below (and including) <paramref name="root"/>.</summary>
    public static IEnumerable<JsonElement> Descendants(JsonElement root)
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

    /// <summary>Every expression object nested anywhere inside <paramref name="node"/> (not the node itself), without
    /// descending below the first expression on each path.</summary>
    public static IEnumerable<JsonElement> NestedExpressions(JsonElement node)
    {
        var stack = new Stack<JsonElement>();
        if (node.ValueKind == JsonValueKind.Object)
            foreach (var p in node.EnumerateObject()) stack.Push(p.Value);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e.ValueKind == JsonValueKind.Object)
            {
                if (IsExpression(e)) { yield return e; continue; }
                foreach (var p in e.EnumerateObject()) stack.Push(p.Value);
            }
            else if (e.ValueKind == JsonValueKind.Array)
                foreach (var item in e.EnumerateArray()) stack.Push(item);
        }
    }

    /// <summary>The type id of a CONSTANT ("INTEGER", "VARCHAR", "DECIMAL", "NULL", …).</summary>
    public static string? ConstantTypeId(JsonElement constant)
    {
        if (Property(constant, "value") is not { } value) return null;
        if (Property(value, "type") is not { } type) return null;
        return String(type, "id");
    }

    public static bool ConstantIsNull(JsonElement constant) =>
        Property(constant, "value") is { } value && value.TryGetProperty("is_null", out var n) && n.ValueKind == JsonValueKind.True;

    public static bool TryConstantString(JsonElement constant, out string text)
    {
        text = "";
        if (ConstantTypeId(constant) != "VARCHAR" || ConstantIsNull(constant)) return false;
        if (Property(constant, "value") is not { } value || !value.TryGetProperty("value", out var v) || v.ValueKind != JsonValueKind.String)
            return false;
        text = v.GetString()!;
        return true;
    }

    /// <summary>Width and scale of a DECIMAL constant.</summary>
    public static (int Width, int Scale)? DecimalInfo(JsonElement constant)
    {
        if (Property(constant, "value") is not { } value || Property(value, "type") is not { } type) return null;
        if (Property(type, "type_info") is not { } info) return null;
        if (!info.TryGetProperty("width", out var w) || !info.TryGetProperty("scale", out var s)) return null;
        return w.TryGetInt32(out var width) && s.TryGetInt32(out var scale) ? (width, scale) : null;
    }

    public static int? Location(JsonElement node) =>
        node.ValueKind == JsonValueKind.Object && node.TryGetProperty("query_location", out var l) && l.TryGetUInt64(out var b)
        && b != ulong.MaxValue && b <= int.MaxValue ? (int)b : null;
}
