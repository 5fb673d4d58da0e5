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
        foreach (var node in query.Statement.Descendants())
        {
            var (column, literals) = Compared(node);
            if (column is null || TypeOf(column, types) is not { } type) continue;
            foreach (var literal in literals)
            {
                if (literal.Constant is not { TypeId: "VARCHAR" } constant || !constant.TryString(out var text)) continue;
                if (!canCast(text, type))
                    throw new PolicyException("22P02", $"invalid input syntax for type {type}: \"{text}\"");
            }
        }
    }

    /// <summary>The column and the other operands of a comparison, IN list or BETWEEN, if one side is a column.</summary>
    private static (AstNode? Column, IReadOnlyList<AstNode> Literals) Compared(AstNode node)
    {
        switch (node.Class)
        {
            case "COMPARISON" when node.Left is { } l && node.Right is { } r:
                return l.Class == "COLUMN_REF" ? (l, [r]) : r.Class == "COLUMN_REF" ? (r, [l]) : (null, []);
            case "OPERATOR" when node.Type is "COMPARE_IN" or "COMPARE_NOT_IN":
                var children = node.Children;
                return children.Count > 1 && children[0].Class == "COLUMN_REF" ? (children[0], children.Skip(1).ToList()) : (null, []);
            case "BETWEEN" when node.Input is { Class: "COLUMN_REF" } input:
                return (input, new[] { node.Lower, node.Upper }.OfType<AstNode>().ToList());
            default:
                return (null, []);
        }
    }

    private static string? TypeOf(AstNode column, Dictionary<string, string?> types)
    {
        var names = column["column_names"].Items;
        if (names.Count == 0 || names[^1] is not { Kind: AstValueKind.String, Text: { } name }) return null;
        var type = types.GetValueOrDefault(name);
        return type is null || type.StartsWith("VARCHAR", StringComparison.OrdinalIgnoreCase) ? null : type;
    }
}
