using System.Text;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// Turns the PostgreSQL-only spellings that catalog queries of psql, pgjdbc, Npgsql and BI tools use into the ones
/// DuckDB runs against the gateway's pg_catalog emulation, before the query is parsed and governed (so the policy
/// checks exactly the text the engine runs):
/// <list type="bullet">
/// <item><c>pg_catalog.x</c> becomes <c>x</c>: the emulation's tables and macros live in the instance's main schema,
/// which unqualified names reach first; a qualified name would reach DuckDB's own pg_catalog (DuckDB OIDs, engine
/// state) instead;</item>
/// <item><c>OPERATOR(pg_catalog.~)</c> becomes <c>~</c>, and a pattern literal after <c>~</c> or <c>!~</c> is
/// wrapped to match anywhere (DuckDB's <c>~</c> matches the whole string); <c>COLLATE pg_catalog.default</c> (and "C", "POSIX") is
/// dropped: DuckDB has neither;</item>
/// <item><c>'name'::regclass</c> (regtype, regproc, regnamespace, regrole) becomes <c>to_regclass('name')</c>: DuckDB
/// cannot cast text to an OID by lookup; an OID cast to regclass stays a number; <c>CAST(expr AS regclass)</c> of
/// another expression takes the number or looks the text up;</item>
/// <item><c>information_schema.tables</c> (and the other emulated views) becomes <c>information_schema_tables</c>,
/// the emulation's scoped version; <c>json_build_object(</c> becomes DuckDB's <c>json_object(</c>.</item>
/// <item><c>format('%I.%I', a, b)</c> with a constant PostgreSQL format string (%s, %I, %L, %%) becomes the
/// concatenation it stands for: DuckDB's format() takes fmt-style {} placeholders and would print %s literally.</item>
/// <item>array text <c>'{a,b}'</c> compared with ANY/ALL or cast to an array becomes a list literal;
/// <c>col = ANY(array)</c> becomes <c>list_contains(array, col)</c>; <c>FROM generate_series(…) s</c> gets <c>s(s)</c>.</item>
/// </list>
/// Edits are token-based (strings, quoted identifiers and comments are never touched) and only ever remove a
/// qualifier or swap a spelling: the result is governed like any other consumer text.
/// </summary>
public static class PgDialect
{
    /// <summary>information_schema views the emulation answers (in main, as information_schema_&lt;name&gt;).</summary>
    public static readonly IReadOnlySet<string> EmulatedInformationSchema = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "schemata", "tables", "columns", "views", "table_constraints", "key_column_usage", "referential_constraints",
        "constraint_column_usage", "check_constraints", "routines", "parameters", "table_privileges", "column_privileges",
        "character_sets", "sequences",
    };

    public const string InformationSchemaPrefix = "information_schema_";

    /// <summary>Text that every rewritten spelling contains: a query with none of them is returned as it is.</summary>
    private static readonly string[] QuickMarkers =
    [
        "pg_catalog", "operator", "collate", "::", "information_schema", "json_build_object", "~", "any", "all", "some", "'{",
        "generate_s", "unnest", "_pg_expandarray", "string_to_array", "format", "cast",
    ];

    private static readonly Dictionary<string, string> RegCasts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["regclass"] = "to_regclass", ["regtype"] = "to_regtype", ["regproc"] = "to_regproc", ["regprocedure"] = "to_regproc",
        ["regnamespace"] = "to_regnamespace", ["regrole"] = "to_regrole",
    };

    private static readonly HashSet<string> DroppedCollations = new(StringComparer.OrdinalIgnoreCase) { "default", "C", "POSIX" };

    private static readonly Dictionary<string, string> FunctionRenames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["json_build_object"] = "json_object",
    };

    public static string Translate(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        // Cheap exit for the common query: nothing of what is rewritten occurs in it.
        if (!QuickMarkers.Any(m => sql.Contains(m, StringComparison.OrdinalIgnoreCase))) return sql;

        var t = SqlLexer.Tokenize(sql);
        var edits = new List<(int Start, int End, string Text)>();
        var clauses = new List<string> { "" };
        for (var i = 0; i < t.Count; i++)
        {
            TrackClause(t[i], clauses);
            if (clauses[^1] is "FROM" or "JOIN" && TryScalarFunctionAlias(t, i, out var aliasEnd, out var alias, out var callEnd))
            {
                if (ScalarInFrom.Contains(t[i].Value))
                {
                    // FROM string_to_array(…) s: a scalar function as a one-row relation, which DuckDB has no form for.
                    edits.Add((t[i].Offset, t[i].Offset, "(SELECT "));
                    edits.Add((callEnd, callEnd, " AS " + alias + ")"));
                }
                else
                {
                    edits.Add((aliasEnd, aliasEnd, "(" + alias + ")"));
                }
            }
            if (TryRegTypeCast(t, i, out var castClose, out var cast))
            {
                edits.Add((t[i].Offset, End(t[castClose]), cast(sql)));
                i = castClose;
                continue;
            }
            if (TryPgFormat(t, i, out var formatClose, out var formatted))
            {
                edits.Add((t[i].Offset, End(t[formatClose]), formatted(sql)));
                i = formatClose;
                continue;
            }
            if (TryAnyOfList(t, i, out var anyClose, out var replacement))
            {
                edits.Add((t[i].Offset, End(t[anyClose]), replacement(sql)));
                i = anyClose;
                continue;
            }
            if (t[i].Kind == SqlTokenKind.String && t[i].Value.StartsWith('{') && t[i].Value.EndsWith('}')
                && ((At(t, i - 1, "(") && i >= 2 && (t[i - 2].IsWord("ANY") || t[i - 2].IsWord("ALL") || t[i - 2].IsWord("SOME")) && At(t, i + 1, ")"))
                    || (At(t, i + 1, ":") && At(t, i + 2, ":") && (At(t, i + 4, "[")
                        || (i + 3 < t.Count && IsName(t[i + 3], "pg_catalog") && At(t, i + 4, ".") && At(t, i + 6, "["))))))
            {
                edits.Add((t[i].Offset, End(t[i]), ArrayLiteral(t[i].Value)));
                continue;
            }
            if (IsName(t[i], "OPERATOR") && At(t, i + 1, "(") && TryOperator(t, i + 2, out var op, out var close))
            {
                edits.Add((t[i].Offset, End(t[close]), " " + op + " "));
                i = close;
                if (op is "~" or "!~" && close + 1 < t.Count && t[close + 1].Kind == SqlTokenKind.String)
                {
                    edits.Add((t[close + 1].Offset, End(t[close + 1]), RegexLiteral(t[close + 1].Value)));
                    i = close + 1;
                }
                continue;
            }
            if (At(t, i, "~") && !At(t, i - 1, "~") && i + 1 < t.Count && t[i + 1].Kind == SqlTokenKind.String)
            {
                edits.Add((t[i + 1].Offset, End(t[i + 1]), RegexLiteral(t[i + 1].Value)));
                i++;
                continue;
            }
            if (IsName(t[i], "COLLATE") && TryCollation(t, i + 1, out var last))
            {
                edits.Add((t[i].Offset, End(t[last]), ""));
                i = last;
                continue;
            }
            if (t[i].Kind == SqlTokenKind.String && At(t, i + 1, ":") && At(t, i + 2, ":") && TryRegType(t, i + 3, out var function, out var typeEnd))
            {
                edits.Add((t[i].Offset, End(t[typeEnd]), function + "(" + t[i].Text + ")"));
                i = typeEnd;
                continue;
            }
            // A parameter cast to a reg type (pgcli's \sf: $1::pg_catalog.regproc) is read as PostgreSQL reads the
            // text: a number is the OID, anything else a name to look up.
            if (t[i].Kind == SqlTokenKind.Parameter && At(t, i + 1, ":") && At(t, i + 2, ":") && TryRegType(t, i + 3, out var paramFunction, out var paramEnd))
            {
                edits.Add((t[i].Offset, End(t[paramEnd]),
                    "COALESCE(TRY_CAST(" + t[i].Text + " AS BIGINT), " + paramFunction + "(CAST(" + t[i].Text + " AS VARCHAR)))"));
                i = paramEnd;
                continue;
            }
            if (IsName(t[i], "pg_catalog") && At(t, i + 1, ".") && i + 2 < t.Count && !At(t, i - 1, "."))
            {
                edits.Add((t[i].Offset, t[i + 2].Offset, ""));
                i++;
                continue;
            }
            if (IsName(t[i], "information_schema") && At(t, i + 1, ".") && i + 2 < t.Count && !At(t, i - 1, ".")
                && t[i + 2].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
            {
                var name = t[i + 2].Value;
                if (EmulatedInformationSchema.Contains(name) && !At(t, i + 3, "("))
                {
                    edits.Add((t[i].Offset, End(t[i + 2]), InformationSchemaPrefix + name.ToLowerInvariant()));
                    i += 2;
                }
                else if (At(t, i + 3, "("))
                {
                    // information_schema._pg_expandarray(…) and friends: the emulation's macros are unqualified.
                    edits.Add((t[i].Offset, t[i + 2].Offset, ""));
                    i++;
                }
                continue;
            }
            if (t[i].Kind == SqlTokenKind.Word && At(t, i + 1, "(") && !At(t, i - 1, ".") && FunctionRenames.TryGetValue(t[i].Value, out var renamed))
                edits.Add((t[i].Offset, End(t[i]), renamed));
        }
        if (edits.Count == 0) return sql;
        edits.Sort((a, b) => a.Start.CompareTo(b.Start));

        var sb = new StringBuilder(sql.Length);
        var at = 0;
        foreach (var (start, end, text) in edits)
        {
            sb.Append(sql, at, start - at).Append(text);
            at = end;
        }
        return sb.Append(sql, at, sql.Length - at).ToString();
    }

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
        if (k >= t.Count || t[k].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier) || At(t, k + 1, "(")) return false;
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
