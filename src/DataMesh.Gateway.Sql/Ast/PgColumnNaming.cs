using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// The names PostgreSQL gives the top-level query's unaliased result columns (its parser's FigureColname), read off
/// the user's syntax tree: a column reference is named after the column, a function call after the function, a cast
/// after what it casts or else after the type as written (<c>1::int</c> is <c>int4</c>, <c>$1::text[]</c> is
/// <c>text</c>), <c>EXISTS</c>, <c>ARRAY[…]</c>, <c>COALESCE</c> and <c>CASE</c> after the keyword, a scalar subquery
/// after its own column, and anything else (operators, constants, parameters) <c>?column?</c>. DuckDB names such
/// columns after its own printing of the expression (<c>(1 + 1)</c>, <c>CAST(1 AS INTEGER)</c>). Null when the select
/// list holds a star or the statement is not a plain SELECT (the engine's names stay).
/// </summary>
public static class PgColumnNaming
{
    public const string Unnamed = "?column?";

    public static IReadOnlyList<string>? Names(ParsedQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Statement.Node("node") is { } node ? SelectNames(node, query.OriginalSql) : null;
    }

    private static List<string>? SelectNames(AstNode node, string sql)
    {
        if (node.Type != "SELECT_NODE" || node["select_list"].Kind != AstValueKind.Array) return null;
        var names = new List<string>();
        foreach (var item in node["select_list"].Items)
        {
            if (item.Node is not { } e || e.Class == "STAR") return null;
            names.Add(e.String("alias") is { Length: > 0 } alias ? alias : Figure(e, sql).Name ?? Unnamed);
        }
        return names;
    }

    /// <summary>The name and its strength: 2 a real name, 1 a fallback (a cast's type, "case"), 0 none.</summary>
    private static (string? Name, int Strength) Figure(AstNode e, string sql)
    {
        switch (e.Class)
        {
            case "COLUMN_REF":
                return e["column_names"].Items is { Count: > 0 } parts ? (parts[^1].Text, 2) : (null, 0);
            case "FUNCTION" or "WINDOW" or "AGGREGATE":
                var function = e.FunctionName;
                return function.Length > 0 && (char.IsLetter(function[0]) || function[0] == '_') ? (Function(function), 2) : (null, 0);
            case "CAST":
                if (e.CastChild is not { } child) return (CastTypeName(e, sql), 1);
                // The gateway gives declared and inferred parameter types as CAST($n AS T) (ParameterCasts): no name.
                if (child.Class == "PARAMETER" && IsParameterCast(e, sql)) return (null, 0);
                var inner = Figure(child, sql);
                return inner.Strength > 1 ? inner : (CastTypeName(e, sql), 1);
            case "CASE":
                var otherwise = e.Node("else_expr") is { } x ? Figure(x, sql) : (null, 0);
                return otherwise.Strength > 1 ? otherwise : ("case", 1);
            case "COLLATE":
                return e.CastChild is { } collated ? Figure(collated, sql) : (null, 0);
            case "SUBQUERY":
                return e.String("subquery_type") switch
                {
                    "EXISTS" => ("exists", 2),
                    "SCALAR" when e.Node("subquery")?.Node("node") is { } query
                        && SelectNames(query, sql) is [var only, ..] && only != Unnamed => (only, 2),
                    _ => (null, 0),
                };
            case "OPERATOR":
                return e.Type switch
                {
                    "ARRAY_CONSTRUCTOR" => ("array", 2),
                    "OPERATOR_COALESCE" => ("coalesce", 2),
                    // x[1]: named after the subscripted column, as PostgreSQL names an indirection.
                    "ARRAY_EXTRACT" or "ARRAY_SLICE" when e.Children is [var subscripted, ..] => Figure(subscripted, sql),
                    _ => (null, 0),
                };
            default:
                return (null, 0);
        }
    }

    // DuckDB's spellings of functions PostgreSQL writes as SQL syntax.
    private static string Function(string name) => name switch
    {
        "list_value" => "array",
        "count_star" => "count",
        _ => name,
    };

    private static bool IsParameterCast(AstNode cast, string sql) =>
        cast.Offset is { } at && string.CompareOrdinal(sql, at, "CAST($", 0, 6) == 0;

    /// <summary>The cast's type as written in the text (<c>x::int4</c>, <c>CAST(x AS double precision)</c>), in PostgreSQL's name.</summary>
    private static string CastTypeName(AstNode cast, string sql)
    {
        if (cast.Offset is { } at && at < sql.Length && TypeTokens(sql, at) is { Count: > 0 } words)
            return PgTypeName(words);
        return "?column?";
    }

    /// <summary>The words of the type after <c>::</c> at <paramref name="at"/>, or after the AS of the CAST( that starts there.</summary>
    private static List<string>? TypeTokens(string sql, int at)
    {
        var tokens = SqlLexer.Tokenize(sql[at..]);
        int i;
        if (tokens.Count > 1 && tokens[0].Text == ":" && tokens[1].Text == ":") i = 2; // the lexer's symbols are one char
        else if (tokens.Count > 1 && (tokens[0].IsWord("CAST") || tokens[0].IsWord("TRY_CAST")) && tokens[1].Text == "(")
        {
            var depth = 0;
            i = -1;
            for (var k = 1; k < tokens.Count; k++)
            {
                if (tokens[k].Text == "(") depth++;
                else if (tokens[k].Text == ")" && --depth == 0) break;
                else if (depth == 1 && tokens[k].IsWord("AS")) i = k + 1;
            }
            if (i < 0) return null;
        }
        else return null;
        var words = new List<string>();
        for (; i < tokens.Count && tokens[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier; i++)
        {
            if (i + 1 < tokens.Count && tokens[i + 1].Text == ".") { i++; continue; } // schema qualifier: the name is the last part
            // A quoted name is a name, never a keyword ("char" is the one-byte type, not character).
            if (tokens[i].Kind == SqlTokenKind.QuotedIdentifier) return words.Count == 0 ? [tokens[i].Value, "\"quoted\""] : words;
            var word = tokens[i].Value.ToLowerInvariant();
            if (words.Count > 0 && !MultiWord.Any(m => m.StartsWith(string.Join(' ', words) + " " + word, StringComparison.Ordinal))) break;
            words.Add(word);
        }
        return words;
    }

    // Type names of more than one word in PostgreSQL's grammar.
    private static readonly string[] MultiWord =
    [
        "double precision", "character varying", "char varying", "national character varying", "national char varying", "bit varying",
        "timestamp with time zone", "timestamp without time zone", "time with time zone", "time without time zone",
    ];

    /// <summary>PostgreSQL's grammar maps SQL's type keywords to its own type names; other names stay as written.</summary>
    private static string PgTypeName(List<string> words)
    {
        if (words is [var quoted, "\"quoted\""]) return quoted;
        var name = string.Join(' ', words);
        return name switch
        {
            "int" or "integer" => "int4",
            "smallint" => "int2",
            "bigint" => "int8",
            "real" => "float4",
            "float" or "double precision" => "float8",
            "decimal" or "dec" => "numeric",
            "boolean" => "bool",
            "character varying" or "char varying" or "national character varying" => "varchar",
            "character" or "char" or "national character" or "nchar" => "bpchar",
            "timestamp without time zone" => "timestamp",
            "timestamp with time zone" => "timestamptz",
            "time without time zone" => "time",
            "time with time zone" => "timetz",
            "bit varying" => "varbit",
            _ => words[^1],
        };
    }
}
