using System.Text.Json;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Validates a row filter at approval time with DuckDB's own parser: one boolean expression over the asset's own
/// columns, with no subqueries, no table functions, no parameters and only deterministic functions from an allow
/// list, plus the gateway's identity functions (current_user_name(), current_user_claim('x'), current_user_in_group('g')),
/// which are bound to constants per session. A bad filter is a clear 42601/42703/42501 now, never an error at query time.
/// </summary>
public static class FilterValidator
{
    private const string Prefix = "SELECT * FROM __datamesh_asset WHERE (";

    private static readonly HashSet<string> AllowedFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "lower", "upper", "length", "trim", "ltrim", "rtrim", "substring", "substr", "starts_with", "ends_with", "contains",
        "concat", "coalesce", "ifnull", "nullif", "abs", "round", "floor", "ceil", "ceiling", "least", "greatest",
        "year", "month", "day", "date_part", "date_trunc", "prefix", "suffix",
        "+", "-", "*", "/", "//", "%", "||", "~~", "!~~", "~~*", "!~~*", "like_escape", "not_like_escape",
    };

    private static readonly HashSet<string> AllowedClasses = new(StringComparer.Ordinal)
    {
        "COLUMN_REF", "CONSTANT", "COMPARISON", "CONJUNCTION", "OPERATOR", "BETWEEN", "CAST", "CASE", "FUNCTION",
    };

    /// <summary>Returns the filter text normalised (trimmed) when valid; throws otherwise.</summary>
    public static string Validate(MetadataEngine metadata, SqlFragment filter, IReadOnlyCollection<string> columns, int statementOffset)
    {
        var json = metadata.SerializeSelect(Prefix + filter.Text + ")");
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.GetProperty("error").GetBoolean())
        {
            var message = root.GetProperty("error_message").GetString() ?? "syntax error";
            var position = root.TryGetProperty("position", out var p) && int.TryParse(p.GetString(), out var pos)
                ? Math.Clamp(pos - Prefix.Length, 0, filter.Text.Length) + filter.Offset + statementOffset + 1
                : filter.Offset + statementOffset + 1;
            throw new PgErrorException(SqlState.SyntaxError, $"invalid row filter: {message}", position: position);
        }
        var statements = root.GetProperty("statements");
        if (statements.GetArrayLength() != 1) throw Refused("the row filter must be a single expression");
        var node = statements[0].GetProperty("node");
        if (node.GetProperty("type").GetString() != "SELECT_NODE"
            || node.GetProperty("modifiers").GetArrayLength() != 0
            || node.GetProperty("group_expressions").GetArrayLength() != 0
            || node.GetProperty("having").ValueKind != JsonValueKind.Null
            || node.GetProperty("qualify").ValueKind != JsonValueKind.Null
            || node.GetProperty("from_table").GetProperty("type").GetString() != "BASE_TABLE"
            || node.GetProperty("from_table").GetProperty("table_name").GetString() != "__datamesh_asset"
            || node.GetProperty("cte_map").GetProperty("map").GetArrayLength() != 0)
            throw Refused("the row filter must be a single boolean expression");
        var identityCalls = 0;
        Walk(node.GetProperty("where_clause"), columns, ref identityCalls);
        // The gateway binds identity calls by their place in the text; every call DuckDB sees must be one it can bind.
        IReadOnlyList<IdentityCall> found;
        try
        {
            found = IdentityCalls.Find(filter.Text);
        }
        catch (FormatException e)
        {
            throw new PgErrorException(SqlState.SyntaxError, "invalid row filter: " + e.Message, position: filter.Offset + statementOffset + 1);
        }
        if (found.Count != identityCalls)
            throw Refused("identity functions in row filters must be written as current_user_name(), current_user_claim('name') or current_user_in_group('group')");
        return filter.Text.Trim();
    }

    /// <summary>
    /// A row filter must be a boolean predicate over the asset's columns as typed: <c>ROW FILTER (1)</c> would let
    /// every row through, and a filter that does not bind (a type error) would fail every query. Both are refused here,
    /// at approval time, never at query time.
    /// </summary>
    public static void RequireBoolean(MetadataEngine metadata, string filter, IReadOnlyList<(string Name, string Type)> schema)
    {
        // Identity functions become constants per session: type-check with typed NULLs in their place.
        var typed = IdentityCalls.Replace(filter, IdentityCalls.Find(filter),
            c => c.Function == IdentityCalls.InGroup ? "CAST(NULL AS BOOLEAN)" : "CAST(NULL AS VARCHAR)");
        var type = metadata.ExpressionType(typed, schema);
        if (type is null) throw new PgErrorException(SqlState.DatatypeMismatch, "the row filter does not apply to the asset's column types");
        if (!type.Equals("BOOLEAN", StringComparison.OrdinalIgnoreCase))
            throw new PgErrorException(SqlState.DatatypeMismatch, $"the row filter must be a boolean expression, not {type}");
    }

    private static void Walk(JsonElement e, IReadOnlyCollection<string> columns, ref int identityCalls)
    {
        if (e.ValueKind != JsonValueKind.Object) return;
        if (!e.TryGetProperty("class", out var classProperty))
        {
            Recurse(e, columns, ref identityCalls); // a value or type description inside an expression
            return;
        }
        var cls = classProperty.GetString()!;
        if (!AllowedClasses.Contains(cls))
            throw Refused(cls switch
            {
                "SUBQUERY" => "row filters may not contain subqueries",
                "WINDOW" => "row filters may not contain window functions",
                "PARAMETER" => "row filters may not contain parameters",
                _ => $"row filters may not contain {cls.ToLowerInvariant().Replace('_', ' ')} expressions",
            });
        if (cls == "COLUMN_REF")
        {
            var names = e.GetProperty("column_names");
            var name = names[names.GetArrayLength() - 1].GetString()!;
            if (names.GetArrayLength() > 1 || !columns.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new PgErrorException(SqlState.UndefinedColumn, $"row filter refers to column \"{string.Join('.', names.EnumerateArray().Select(n => n.GetString()))}\", which the asset does not have");
        }
        if (cls == "FUNCTION" && IdentityCalls.IsIdentityFunction(e.GetProperty("function_name").GetString()!))
        {
            CheckIdentityCall(e);
            identityCalls++;
            return; // its one argument is a string constant: nothing below it to walk
        }
        if (cls == "FUNCTION")
        {
            var name = e.GetProperty("function_name").GetString()!;
            if (!AllowedFunctions.Contains(name) || e.GetProperty("distinct").GetBoolean() || e.GetProperty("filter").ValueKind != JsonValueKind.Null)
                throw Refused($"function \"{name}\" is not allowed in row filters (only deterministic functions from the allow list are)");
        }
        Recurse(e, columns, ref identityCalls);
    }

    /// <summary>current_user_name() takes nothing; current_user_claim and current_user_in_group one string constant.</summary>
    private static void CheckIdentityCall(JsonElement e)
    {
        var name = e.GetProperty("function_name").GetString()!.ToLowerInvariant();
        var children = e.GetProperty("children");
        var qualified = e.TryGetProperty("schema", out var schema) && schema.GetString() is { Length: > 0 };
        var expected = name == IdentityCalls.UserName ? 0 : 1;
        var shapeOk = !qualified && children.GetArrayLength() == expected && !e.GetProperty("distinct").GetBoolean()
            && (expected == 0 || (children[0].GetProperty("class").GetString() == "CONSTANT"
                && children[0].GetProperty("value").GetProperty("type").GetProperty("id").GetString() == "VARCHAR"));
        if (!shapeOk)
            throw new PgErrorException(SqlState.SyntaxError, expected == 0
                ? $"invalid row filter: {name}() takes no arguments"
                : $"invalid row filter: {name}() takes one string literal");
    }

    private static void Recurse(JsonElement e, IReadOnlyCollection<string> columns, ref int identityCalls)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object) Walk(property.Value, columns, ref identityCalls);
            else if (property.Value.ValueKind == JsonValueKind.Array)
                foreach (var item in property.Value.EnumerateArray()) Walk(item, columns, ref identityCalls);
        }
    }

    private static PgErrorException Refused(string message) => new(SqlState.InsufficientPrivilege, message);
}
