using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// Captures a row filter's raw SQL between balanced parentheses without interpreting it: the engine parses it
/// later, in context. Depth is counted on Symbol tokens only, so parentheses inside string literals, quoted
/// identifiers or comments never unbalance it.
/// </summary>
internal static class RowFilterReader
{
    public static SqlFragment Read(TokenCursor c)
    {
        c.ExpectSymbol("(");
        SqlToken? first = null, last = null;
        var depth = 1;
        while (true)
        {
            if (c.AtEnd) throw c.Unexpected("\")\" closing the row filter");
            var token = c.Advance();
            if (token is { Kind: SqlTokenKind.Symbol, Value: "(" }) depth++;
            else if (token is { Kind: SqlTokenKind.Symbol, Value: ")" } && --depth == 0)
            {
                if (first is null) throw c.ErrorAt(token, "syntax error at or near \")\": row filter is empty");
                break;
            }
            first ??= token;
            last = token;
        }
        // From the first token's start to the last token's end: whitespace and comments hugging the
        // parentheses are dropped (a trailing "-- note" would otherwise swallow whatever the server appends).
        var start = c.OffsetOf(first.Value);
        return new SqlFragment(c.Text[start..c.EndOf(last!.Value)], start);
    }
}
