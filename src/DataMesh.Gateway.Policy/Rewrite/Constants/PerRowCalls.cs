using System.Text;
using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>
/// Session and clock calls (<c>now()</c>, <c>current_date</c>, <c>current_user</c>, <c>current_setting(…)</c>) are
/// constants for DuckDB within one query, so an expression built on them (<c>chr(-1 + epoch(now())::INT * 0)</c>)
/// fails lazily, only when file statistics over hidden rows let the filter around it run. Their values belong to the
/// session and the moment, so they cannot be evaluated once into a plan shared by sessions. Instead, in a query that
/// reads a row-filtered grant, each such call is wrapped in the instance macro <see cref="Macro"/>, which returns
/// its argument through a volatile CASE: DuckDB then evaluates the expression per row, only on the rows that reach
/// it, which the policy subquery has already filtered. Values and types do not change.
/// </summary>
public static class PerRowCalls
{
    /// <summary>The instance macro <c>__datamesh_per_row(x)</c> (Engine: GatewayMacros).</summary>
    public const string Macro = "__datamesh_per_row";

    /// <summary>The text with every call wrapped, read and checked: the wrappers must hold exactly the calls.</summary>
    public static ParsedQuery Wrap(string sql, IReadOnlyList<SessionCall> calls, Func<string, string> serialize)
    {
        ArgumentNullException.ThrowIfNull(serialize);
        var tokens = SqlLexer.Tokenize(sql);
        var spans = new List<(int Start, int End, string Name)>();
        foreach (var call in calls.OrderBy(c => c.Offset))
        {
            var span = Span(tokens, call.Offset) ?? throw Unplaceable(call.Name);
            if (spans.Count > 0 && span.Start < spans[^1].End) continue; // inside a call already wrapped
            spans.Add((span.Start, span.End, call.Name));
        }
        var text = new StringBuilder(sql);
        for (var i = spans.Count - 1; i >= 0; i--)
        {
            text.Insert(spans[i].End, ")");
            text.Insert(spans[i].Start, Macro + "(");
        }
        return Verify(text.ToString(), spans.Select(s => s.Name).ToList(), serialize);
    }

    /// <summary>The char span of the call whose name starts at <paramref name="offset"/>: the name (schema-qualified
    /// or not) and its parenthesised arguments, if any.</summary>
    private static (int Start, int End)? Span(List<SqlToken> tokens, int offset)
    {
        var i = tokens.FindIndex(t => t.Offset == offset);
        if (i < 0 || tokens[i].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) return null;
        var start = tokens[i].Offset;
        while (i + 2 < tokens.Count && tokens[i + 1].Text == "." && tokens[i + 2].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
            i += 2;
        var end = tokens[i].Offset + tokens[i].Text.Length;
        if (i + 1 >= tokens.Count || tokens[i + 1].Text != "(") return (start, end);
        var depth = 0;
        for (var j = i + 1; j < tokens.Count; j++)
        {
            if (tokens[j].Kind != SqlTokenKind.Symbol) continue;
            if (tokens[j].Text == "(") depth++;
            else if (tokens[j].Text == ")" && --depth == 0) return (start, tokens[j].Offset + 1);
        }
        return null;
    }

    private static ParsedQuery Verify(string wrapped, IReadOnlyList<string> names, Func<string, string> serialize)
    {
        ParsedQuery parsed;
        try
        {
            parsed = SqlAst.Parse(serialize(wrapped), wrapped);
        }
        catch (SqlAstException)
        {
            throw Unplaceable(names.FirstOrDefault() ?? "");
        }
        var found = parsed.Statement.Descendants()
            .Where(n => n.Class == "FUNCTION" && n.FunctionName == Macro)
            .Select(n => (n.Offset ?? 0, n.Children))
            .OrderBy(n => n.Item1)
            .Select(n => n.Item2 is [var only] ? CallName(only) : null)
            .ToList();
        if (!found.SequenceEqual(names.Select(FunctionPolicy.Normalize)))
            throw Unplaceable(names.FirstOrDefault() ?? "");
        return parsed;
    }

    private static string? CallName(AstNode node) => node.Class switch
    {
        "FUNCTION" => FunctionPolicy.Normalize(node.FunctionName),
        "COLUMN_REF" when node["column_names"].Items is [{ Kind: AstValueKind.String, Text: { } n }] => FunctionPolicy.Normalize(n),
        _ => null,
    };

    private static PolicyException Unplaceable(string name) =>
        new("0A000", $"the gateway cannot govern the call to {name} in this position",
            "compute it in a separate query, or move it out of the expression");
}
