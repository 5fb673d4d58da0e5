using System.Text.Json;
using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// A string literal compared with a typed column (<c>qty = 'x'</c>, <c>qty IN ('1', 'x')</c>, <c>d BETWEEN 'a' AND
/// 'b'</c>) is cast by DuckDB lazily, row by row, and the optimizer decides from file statistics (over hidden rows
/// too) whether any row is ever compared: whether the cast error is raised then tells whether a hidden row exists or
/// lies in the file's min/max. PostgreSQL rejects such a literal when the query is analysed, whatever the data. So
/// does the gateway: each such literal is cast at planning time, and one that does not cast fails the query with
/// 22P02 before it reaches the engine, the same for every consumer and every data layout.
/// </summary>
public static class LiteralCasts
{
    /// <param name="canCast">Whether DuckDB casts the text to the type (TRY_CAST on a parser connection).</param>
    public static void Check(ParsedQuery query, GrantSet grants, Func<string, string, bool> canCast)
    {
        ArgumentNullException.ThrowIfNull(query);
        var types = GrantColumnTypes.Of(grants);
        if (types.Count == 0) return;
        using var document = JsonDocument.Parse(query.Json, new JsonDocumentOptions { MaxDepth = 4096 });
        foreach (var node in AstJson.Descendants(document.RootElement))
        {
            var (column, literals) = Compared(node);
            if (column is null || TypeOf(column.Value, types) is not { } type) continue;
            foreach (var literal in literals)
            {
                if (AstJson.Class(literal) != "CONSTANT" || AstJson.ConstantTypeId(literal) != "VARCHAR") continue;
                if (!AstJson.TryConstantString(literal, out var text)) continue;
                if (!canCast(text, type))
                    throw new PolicyException("22P02", $"invalid input syntax for type {type}: \"{text}\"");
            }
        }
    }

    /// <summary>The column and the other operands of a comparison, IN list or BETWEEN, if one side is a column.</summary>
    private static (JsonElement? Column, IReadOnlyList<JsonElement> Literals) Compared(JsonElement node)
    {
        switch (AstJson.Class(node))
        {
            case "COMPARISON" when AstJson.Property(node, "left") is { } l && AstJson.Property(node, "right") is { } r:
                return AstJson.Class(l) == "COLUMN_REF" ? (l, [r]) : AstJson.Class(r) == "COLUMN_REF" ? (r, [l]) : (null, []);
            case "OPERATOR" when AstJson.Type(node) is "COMPARE_IN" or "COMPARE_NOT_IN":
                var children = AstJson.Children(node);
                return children.Count > 1 && AstJson.Class(children[0]) == "COLUMN_REF" ? (children[0], children.Skip(1).ToList()) : (null, []);
            case "BETWEEN" when AstJson.Property(node, "input") is { } input && AstJson.Class(input) == "COLUMN_REF":
                return (input, new[] { AstJson.Property(node, "lower"), AstJson.Property(node, "upper") }.OfType<JsonElement>().ToList());
            default:
                return (null, []);
        }
    }

    private static string? TypeOf(JsonElement column, Dictionary<string, string?> types)
    {
        var names = AstJson.Children(column, "column_names");
        if (names.Count == 0 || names[^1].ValueKind != JsonValueKind.String) return null;
        var type = types.GetValueOrDefault(names[^1].GetString()!);
        return type is null || type.StartsWith("VARCHAR", StringComparison.OrdinalIgnoreCase) ? null : type;
    }
}
