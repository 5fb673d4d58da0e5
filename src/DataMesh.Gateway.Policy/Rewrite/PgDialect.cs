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
public static partial class PgDialect
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
            // Two spellings claimed overlapping text: refuse rather than splice a query nobody wrote.
            if (start < at) throw PolicyException.Refused("the query could not be translated: two PostgreSQL spellings overlap");
            sb.Append(sql, at, start - at).Append(text);
            at = end;
        }
        return sb.Append(sql, at, sql.Length - at).ToString();
    }
}
