using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Sessions.Settings;

/// <summary>
/// PostgreSQL's flatten_set_variable_args: the arguments of SET become the one string the parameter is given. Only
/// list parameters take several (joined with ", "); in an identifier list (search_path) each string is quoted where
/// quote_ident would quote it, so <c>SET search_path = "$user", public</c> shows <c>"$user", public</c>.
/// </summary>
public static class SetArguments
{
    public static string Flatten(string name, PgSetting? setting, IReadOnlyList<SetArgument> arguments)
    {
        if (arguments.Count > 1 && setting is not { ListInput: true })
            throw new PgErrorException(SqlState.InvalidParameterValue, $"SET {name} takes only one argument");
        return string.Join(", ", arguments.Select(a =>
            a.Kind == SetArgumentKind.String && setting is { ListQuote: true } ? QuoteIdentifier(a.Value) : a.Value));
    }

    /// <summary>PostgreSQL's quote_identifier: quoted unless all lower-case letters, digits and underscores, and not a keyword.</summary>
    public static string QuoteIdentifier(string value)
    {
        var safe = value.Length > 0 && (char.IsAsciiLetterLower(value[0]) || value[0] == '_')
            && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') && !Keywords.Contains(value);
        return safe ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    // PostgreSQL's reserved, type/function-name and column-name keywords (quote_identifier quotes all but unreserved ones).
    private static readonly HashSet<string> Keywords =
    [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between", "bigint", "binary",
        "bit", "boolean", "both", "case", "cast", "char", "character", "check", "coalesce", "collate", "collation", "column",
        "concurrently", "constraint", "create", "cross", "current_catalog", "current_date", "current_role", "current_schema",
        "current_time", "current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc", "distinct", "do",
        "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
        "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect",
        "interval", "into", "is", "isnull", "join", "lateral", "leading", "least", "left", "like", "limit", "localtime",
        "localtimestamp", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric",
        "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing", "position", "precision", "primary",
        "real", "references", "returning", "right", "row", "select", "session_user", "setof", "similar", "smallint", "some",
        "substring", "symmetric", "table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true",
        "union", "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when", "where", "window", "with",
        "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
        "xmlserialize", "xmltable",
    ];
}
