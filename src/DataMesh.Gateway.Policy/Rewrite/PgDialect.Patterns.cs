using System.Text;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>The token patterns <see cref="PgDialect.Translate"/> recognises, and the literals it writes for them.</summary>
public static partial class PgDialect
{
    /// <summary>
    /// <c>a.attnum = ANY(ix.indkey)</c> with a column on the left and an array (not a subquery) on the right becomes
    /// <c>list_contains(ix.indkey, a.attnum)</c>: DuckDB turns ANY over a list into a subquery, which it cannot run in
    /// the condition of an outer join (SQLAlchemy's index reflection has one).
    /// </summary>
    private static bool TryAnyOfList(List<SqlToken> t, int i, out int close, out Func<string, string> replacement)
    {
        close = -1;
        replacement = _ => "";
        // The left side: a (qualified) column name that is a whole operand of a condition.
        if (t[i].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier) || i == 0) return false;
        var before = t[i - 1];
        if (!(At(t, i - 1, "(") || At(t, i - 1, ",") || (before.Kind == SqlTokenKind.Word && AnyOperandStart.Contains(before.Value)))) return false;
        var k = i;
        while (At(t, k + 1, ".") && k + 2 < t.Count && t[k + 2].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier) k += 2;
        if (!At(t, k + 1, "=") || k + 3 >= t.Count || !t[k + 2].IsWord("ANY") || !At(t, k + 3, "(")) return false;
        if (k + 4 >= t.Count || t[k + 4].IsWord("SELECT") || t[k + 4].IsWord("VALUES") || t[k + 4].IsWord("WITH")) return false;
        var depth = 0;
        for (var j = k + 3; j < t.Count; j++)
        {
            if (At(t, j, "(")) depth++;
            else if (At(t, j, ")") && --depth == 0) { close = j; break; }
        }
        if (close < 0 || close == k + 4) return false;
        var leftStart = t[i].Offset;
        var leftEnd = End(t[k]);
        var argStart = t[k + 4].Offset;
        var argEnd = t[close].Offset;
        var arrayText = close == k + 5 && t[k + 4].Kind == SqlTokenKind.String && t[k + 4].Value.StartsWith('{') && t[k + 4].Value.EndsWith('}')
            ? ArrayLiteral(t[k + 4].Value) : null;
        replacement = sql => "list_contains(" + (arrayText ?? Translate(sql[argStart..argEnd])) + ", " + sql[leftStart..leftEnd] + ")";
        return true;
    }

    /// <summary>
    /// <c>format('fmt', args…)</c> whose format string is a literal with PostgreSQL conversions only (<c>%s</c>,
    /// <c>%I</c>, <c>%L</c>, <c>%%</c>; no positions or widths) and one argument per conversion: the concatenation
    /// PostgreSQL computes, <c>%s</c> printing NULL as nothing, <c>%I</c> through quote_ident and <c>%L</c> as a quoted
    /// literal (NULL unquoted). Anything else is left as it is.
    /// </summary>
    private static bool TryPgFormat(List<SqlToken> t, int i, out int close, out Func<string, string> replacement)
    {
        close = -1;
        replacement = _ => "";
        if (t[i].Kind != SqlTokenKind.Word || !IsName(t[i], "format") || At(t, i - 1, ".") || !At(t, i + 1, "(")
            || i + 2 >= t.Count || t[i + 2].Kind != SqlTokenKind.String || !t[i + 2].Value.Contains('%')) return false;
        var pieces = new List<(string Literal, char Conversion)>();
        var format = t[i + 2].Value;
        var literal = new StringBuilder();
        for (var k = 0; k < format.Length; k++)
        {
            if (format[k] != '%') { literal.Append(format[k]); continue; }
            if (k + 1 >= format.Length) return false;
            var c = format[++k];
            if (c == '%') { literal.Append('%'); continue; }
            if (c is not ('s' or 'I' or 'L')) return false;
            pieces.Add((literal.ToString(), c));
            literal.Clear();
        }
        if (!At(t, i + 3, ",") && !At(t, i + 3, ")")) return false;
        // The arguments after the format string: top-level comma-separated spans.
        var args = new List<(int Start, int End)>();
        var depth = 0;
        var argStart = -1;
        for (var j = i + 1; j < t.Count; j++)
        {
            if (At(t, j, "(") || At(t, j, "[")) { depth++; continue; }
            if (At(t, j, ")") || At(t, j, "]"))
            {
                if (--depth > 0) continue;
                if (argStart >= 0) args.Add((argStart, t[j].Offset));
                close = j;
                break;
            }
            if (depth == 1 && At(t, j, ",") && j > i + 2)
            {
                if (argStart >= 0) args.Add((argStart, t[j].Offset));
                argStart = j + 1 < t.Count ? t[j + 1].Offset : -1;
            }
        }
        if (close < 0 || args.Count != pieces.Count || args.Any(a => a.Start < 0 || a.End <= a.Start)) return false;
        var tail = literal.ToString();
        replacement = sql =>
        {
            var parts = new List<string>();
            for (var p = 0; p < pieces.Count; p++)
            {
                if (pieces[p].Literal.Length > 0) parts.Add(SqlLiteral(pieces[p].Literal));
                var value = "CAST(" + Translate(sql[args[p].Start..args[p].End]) + " AS VARCHAR)";
                parts.Add(pieces[p].Conversion switch
                {
                    'I' => "quote_ident(" + value + ")",
                    'L' => "COALESCE('''' || replace(" + value + ", '''', '''''') || '''', 'NULL')",
                    _ => "COALESCE(" + value + ", '')",
                });
            }
            if (tail.Length > 0 || parts.Count == 0) parts.Add(SqlLiteral(tail));
            return "(" + string.Join(" || ", parts) + ")";
        };
        return true;
    }

    private static string SqlLiteral(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// <c>CAST(expr AS regclass)</c> (or another reg type) of an expression that is not a literal: PostgreSQL reads a
    /// number as the OID and looks any other text up by name, so it becomes
    /// <c>COALESCE(TRY_CAST(expr AS BIGINT), to_regclass(CAST(expr AS VARCHAR)))</c> (Metabase's
    /// <c>CAST(CAST(FORMAT('%I.%I', schema, table) AS REGCLASS) AS OID)</c>).
    /// </summary>
    private static bool TryRegTypeCast(List<SqlToken> t, int i, out int close, out Func<string, string> replacement)
    {
        close = -1;
        replacement = _ => "";
        if (t[i].Kind != SqlTokenKind.Word || !IsName(t[i], "CAST") || !At(t, i + 1, "(")) return false;
        var depth = 0;
        var asAt = -1;
        for (var j = i + 1; j < t.Count; j++)
        {
            if (At(t, j, "(")) depth++;
            else if (At(t, j, ")") && --depth == 0) { close = j; break; }
            else if (depth == 1 && t[j].IsWord("AS")) asAt = j;
        }
        if (close < 0 || asAt < 0 || asAt == i + 2 || !TryRegType(t, asAt + 1, out var function, out var typeEnd) || typeEnd + 1 != close) return false;
        var exprStart = t[i + 2].Offset;
        var exprEnd = t[asAt].Offset;
        replacement = sql =>
        {
            var expr = Translate(sql[exprStart..exprEnd].TrimEnd());
            return "COALESCE(TRY_CAST(" + expr + " AS BIGINT), " + function + "(CAST(" + expr + " AS VARCHAR)))";
        };
        return true;
    }

    private static readonly HashSet<string> AnyOperandStart = new(StringComparer.OrdinalIgnoreCase)
    {
        "WHERE", "ON", "AND", "OR", "NOT", "WHEN", "SELECT", "HAVING", "THEN", "ELSE",
    };

    /// <summary>PostgreSQL's array text <c>'{a,b,"c d"}'</c> as a DuckDB list literal <c>['a', 'b', 'c d']</c>.</summary>
    private static string ArrayLiteral(string text)
    {
        var items = new List<string>();
        var body = text[1..^1];
        var current = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '"') { quoted = !quoted; wasQuoted = true; continue; }
            if (c == '\\' && quoted && i + 1 < body.Length) { current.Append(body[++i]); continue; }
            if (c == ',' && !quoted) { Add(); continue; }
            current.Append(c);
        }
        if (body.Length > 0) Add();
        return "[" + string.Join(", ", items) + "]::VARCHAR[]";

        void Add()
        {
            var value = current.ToString();
            items.Add(!wasQuoted && value.Equals("NULL", StringComparison.OrdinalIgnoreCase) ? "NULL" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'");
            current.Clear();
            wasQuoted = false;
        }
    }

    private static readonly HashSet<string> ClauseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "JOIN", "WHERE", "ON", "USING", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "EXCEPT",
        "INTERSECT", "WINDOW", "QUALIFY", "RETURNING", "VALUES",
    };

    private static readonly HashSet<string> SetReturning = new(StringComparer.OrdinalIgnoreCase)
    {
        "generate_series", "unnest", "generate_subscripts", "_pg_expandarray",
    };

    /// <summary>The clause each parenthesis depth is in (SELECT, FROM, JOIN, WHERE …), for the alias rule.</summary>
    private static void TrackClause(SqlToken token, List<string> clauses)
    {
        if (token.Kind == SqlTokenKind.Symbol && token.Text == "(") clauses.Add("");
        else if (token.Kind == SqlTokenKind.Symbol && token.Text == ")" && clauses.Count > 1) clauses.RemoveAt(clauses.Count - 1);
        else if (token.Kind == SqlTokenKind.Word && ClauseWords.Contains(token.Value)) clauses[^1] = token.Value.ToUpperInvariant();
    }

    /// <summary>
    /// <c>FROM generate_series(0, 3) s</c>: in PostgreSQL the alias of a function returning one column names that
    /// column too (psql then writes <c>prattrs[s]</c>); in DuckDB it names only the row. The alias gets a column list:
    /// <c>s(s)</c>. Only for the set-returning functions catalog queries use, in a FROM or JOIN item.
    /// </summary>
    private static bool TryScalarFunctionAlias(List<SqlToken> t, int i, out int aliasEnd, out string alias, out int callEnd)
    {
        aliasEnd = -1;
        callEnd = -1;
        alias = "";
        if (t[i].Kind != SqlTokenKind.Word || !(SetReturning.Contains(t[i].Value) || ScalarInFrom.Contains(t[i].Value)) || !At(t, i + 1, "(")) return false;
        var depth = 0;
        var k = i + 1;
        for (; k < t.Count; k++)
        {
            if (At(t, k, "(")) depth++;
            else if (At(t, k, ")") && --depth == 0) break;
        }
        if (k >= t.Count) return false;
        callEnd = End(t[k]);
        k++;
        if (k < t.Count && t[k].IsWord("AS")) k++;
        // A name followed by "(" is a call and by "." a qualified name (f(1)information_schema.tables): not an alias.
        if (k >= t.Count || t[k].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier) || At(t, k + 1, "(") || At(t, k + 1, ".")) return false;
        if (t[k].Kind == SqlTokenKind.Word && (ClauseWords.Contains(t[k].Value) || AliasStop.Contains(t[k].Value))) return false;
        aliasEnd = End(t[k]);
        alias = t[k].Text;
        return true;
    }

    /// <summary>Scalar functions that PostgreSQL clients use as a one-row relation in FROM (Grafana's table picker).</summary>
    private static readonly HashSet<string> ScalarInFrom = new(StringComparer.OrdinalIgnoreCase) { "string_to_array" };

    private static readonly HashSet<string> AliasStop = new(StringComparer.OrdinalIgnoreCase)
    {
        "LEFT", "RIGHT", "INNER", "OUTER", "FULL", "CROSS", "NATURAL", "LATERAL", "WITH", "AND", "OR", "AS", "ORDINALITY",
    };

    /// <summary>
    /// PostgreSQL's <c>~</c> matches anywhere in the string; DuckDB's matches the whole string. A pattern literal
    /// right after <c>~</c> or <c>!~</c> is wrapped so that a whole-string match means what the client meant
    /// (<c>'^pg_'</c> matches every name that starts with pg_, as psql's \dn filter expects).
    /// </summary>
    private static string RegexLiteral(string pattern) =>
        "'(?s:.*)(?:" + pattern.Replace("'", "''", StringComparison.Ordinal) + ")(?s:.*)'";

    private static int End(SqlToken token) => token.Offset + token.Text.Length;

    private static bool At(List<SqlToken> t, int i, string symbol) =>
        i >= 0 && i < t.Count && t[i].Kind == SqlTokenKind.Symbol && t[i].Text == symbol;

    private static bool IsName(SqlToken token, string name) =>
        token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier && token.Value.Equals(name, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>[schema .] op )</c> where op is one or more symbol characters; the operator text without schema.</summary>
    private static bool TryOperator(List<SqlToken> t, int i, out string op, out int close)
    {
        op = "";
        close = -1;
        if (i + 1 < t.Count && t[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier && At(t, i + 1, ".")) i += 2;
        var sb = new StringBuilder();
        while (i < t.Count && t[i].Kind == SqlTokenKind.Symbol && t[i].Text is not "(" and not ")" and not "." and not ",")
        {
            // The symbols of one operator are adjacent: OPERATOR(pg_catalog.! ~) is not an operator.
            if (sb.Length > 0 && t[i].Offset != t[i - 1].Offset + 1) return false;
            sb.Append(t[i].Text);
            i++;
        }
        if (sb.Length == 0 || !At(t, i, ")")) return false;
        op = sb.ToString();
        close = i;
        return true;
    }

    /// <summary><c>[pg_catalog .] default</c>, <c>"C"</c> or <c>"POSIX"</c>: the collations DuckDB does not know.</summary>
    private static bool TryCollation(List<SqlToken> t, int i, out int last)
    {
        last = -1;
        if (i + 2 < t.Count && IsName(t[i], "pg_catalog") && At(t, i + 1, ".")) i += 2;
        if (i >= t.Count || t[i].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier) || !DroppedCollations.Contains(t[i].Value))
            return false;
        last = i;
        return true;
    }

    /// <summary><c>[pg_catalog .] regclass</c> (or another reg type) after <c>::</c>; the lookup macro for it.</summary>
    private static bool TryRegType(List<SqlToken> t, int i, out string function, out int end)
    {
        function = "";
        end = -1;
        if (i + 2 < t.Count && IsName(t[i], "pg_catalog") && At(t, i + 1, ".")) i += 2;
        if (i >= t.Count || t[i].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) return false;
        if (!RegCasts.TryGetValue(t[i].Value, out var f) || At(t, i + 1, "[")) return false;
        function = f;
        end = i;
        return true;
    }
}
