namespace DataMesh.Gateway.Engine.Execution;

/// <summary>
/// PostgreSQL's names for unaliased result columns, where DuckDB's differ. DuckDB names an unaliased expression after
/// its text (<c>now()</c>, <c>sum(amount)</c>, <c>"version"()</c>, <c>count_star()</c>, <c>CAST(x AS INTEGER)</c>);
/// PostgreSQL names a function call after the function (<c>now</c>, <c>sum</c>, <c>version</c>, <c>count</c>) and a
/// cast of a column after the column (<c>x</c>). Clients read columns by those names (pandas' DataFrame columns,
/// psql's headers, BI tools' field lists), so the gateway answers with PostgreSQL's.
/// Only a name that is exactly one call (<c>f(…)</c> whose first parenthesis closes at the end) or exactly one cast
/// of a bare column is changed; any other name, such as <c>(a + b)</c>, stays as DuckDB gave it. The cost of reading
/// names rather than the query: a column aliased, in double quotes, to such a text (<c>AS "sum(x)"</c>) is renamed too.
/// </summary>
public static class PgColumnNames
{
    public static string For(string name)
    {
        if (name.Length < 3 || name[^1] != ')') return name;
        var (function, open) = LeadingIdentifier(name);
        if (function is null || open >= name.Length || name[open] != '(' || ClosingParenthesis(name, open) != name.Length - 1) return name;
        if (function.Equals("CAST", StringComparison.OrdinalIgnoreCase) || function.Equals("TRY_CAST", StringComparison.OrdinalIgnoreCase))
            return CastOfColumn(name, open) ?? name;
        return function.Equals("count_star", StringComparison.OrdinalIgnoreCase) ? "count" : function;
    }

    /// <summary>An identifier at the start (bare, or in double quotes with "" for a quote) and the index after it.</summary>
    private static (string? Identifier, int End) LeadingIdentifier(string s, int start = 0)
    {
        if (start >= s.Length) return (null, start);
        if (s[start] == '"')
        {
            var sb = new System.Text.StringBuilder();
            for (var i = start + 1; i < s.Length; i++)
            {
                if (s[i] != '"') { sb.Append(s[i]); continue; }
                if (i + 1 < s.Length && s[i + 1] == '"') { sb.Append('"'); i++; continue; }
                return sb.Length > 0 ? (sb.ToString(), i + 1) : (null, start);
            }
            return (null, start);
        }
        if (!(char.IsAsciiLetter(s[start]) || s[start] == '_')) return (null, start);
        var end = start + 1;
        while (end < s.Length && (char.IsAsciiLetterOrDigit(s[end]) || s[end] == '_')) end++;
        return (s[start..end], end);
    }

    /// <summary>The index of the parenthesis that closes the one at <paramref name="open"/>, skipping quoted text; -1 if none.</summary>
    private static int ClosingParenthesis(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            var c = s[i];
            if (c is '\'' or '"')
            {
                var close = s.IndexOf(c, i + 1);
                while (close >= 0 && close + 1 < s.Length && s[close + 1] == c) close = s.IndexOf(c, close + 2);
                if (close < 0) return -1;
                i = close;
                continue;
            }
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        return -1;
    }

    /// <summary><c>CAST(col AS type)</c> of a bare column: the column's name; else null.</summary>
    private static string? CastOfColumn(string name, int open)
    {
        var (column, end) = LeadingIdentifier(name, open + 1);
        if (column is null || !name.AsSpan(end).StartsWith(" AS ", StringComparison.Ordinal)) return null;
        return column;
    }
}
