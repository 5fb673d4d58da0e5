using System.Text.Json;

namespace DataMesh.Gateway.Sql.Ast;

/// <summary>A table the top-level FROM clause reads, in the order its columns appear in <c>*</c>.</summary>
/// <param name="Schema">The schema as written ("" when unqualified).</param>
/// <param name="Name">The table name, or null when the relation is not a stored table (a subquery, a CTE, a function).</param>
/// <param name="Alias">The name the query refers to it by (the alias, else the table name).</param>
public sealed record FromRelation(string Schema, string? Name, string Alias);

/// <summary>Where one select-list entry of the top-level query comes from.</summary>
/// <param name="Column">A column reference: its name (null for <c>*</c> and computed expressions).</param>
/// <param name="Qualifier">The relation it is qualified with (<c>t.a</c>, <c>t.*</c>, <c>s.t.a</c>: "t"), or "".</param>
/// <param name="IsStar">A plain <c>*</c> or <c>t.*</c>, without EXCLUDE, REPLACE, RENAME or COLUMNS().</param>
public sealed record SelectSource(string? Column, string Qualifier, bool IsStar);

/// <summary>
/// The top-level SELECT's result columns traced back to the tables they name, for RowDescription's table OID and
/// attribute number (PostgreSQL sends them for a plain column reference; pgjdbc and Npgsql look them up). Only what
/// can be read off the syntax for certain: a select list of column references and stars over stored tables and joins
/// of them. Anything else (set operations, a star that EXCLUDEs, a join USING or NATURAL, a table with column aliases)
/// gives null, and the gateway sends zeros as for any computed column.
/// </summary>
public sealed record SelectColumnSources(IReadOnlyList<SelectSource> Select, IReadOnlyList<FromRelation> From)
{
    public static SelectColumnSources? Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4096 });
            var statements = document.RootElement.GetProperty("statements");
            if (statements.GetArrayLength() != 1) return null;
            var node = statements[0].GetProperty("node");
            if (Text(node, "type") != "SELECT_NODE") return null;
            var ctes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (node.TryGetProperty("cte_map", out var cteMap) && cteMap.TryGetProperty("map", out var map) && map.ValueKind == JsonValueKind.Array)
                foreach (var entry in map.EnumerateArray())
                    if (entry.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String) ctes.Add(key.GetString()!);
            var from = new List<FromRelation>();
            if (!node.TryGetProperty("from_table", out var fromTable) || !Relations(fromTable, ctes, from)) return null;
            var select = new List<SelectSource>();
            foreach (var e in node.GetProperty("select_list").EnumerateArray()) select.Add(Source(e));
            return select.Any(s => s.IsStar && s.Column == "") ? null : new SelectColumnSources(select, from);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static SelectSource Source(JsonElement e)
    {
        switch (Text(e, "class"))
        {
            case "COLUMN_REF":
                var names = e.GetProperty("column_names").EnumerateArray().Select(n => n.GetString() ?? "").ToList();
                return new SelectSource(names[^1], names.Count > 1 ? names[^2] : "", false);
            case "STAR":
                // A star with modifiers: its columns cannot be counted from the syntax ("" marks it; Read gives up).
                var plain = Empty(e, "exclude_list") && Empty(e, "replace_list") && Empty(e, "rename_list")
                    && !(e.TryGetProperty("columns", out var c) && c.ValueKind == JsonValueKind.True)
                    && !(e.TryGetProperty("expr", out var x) && x.ValueKind != JsonValueKind.Null);
                return new SelectSource(plain ? null : "", Text(e, "relation_name") ?? "", true);
            default:
                return new SelectSource(null, "", false);
        }
    }

    /// <summary>Adds the relations of a FROM item in star order; false when the columns cannot be traced.</summary>
    private static bool Relations(JsonElement table, HashSet<string> ctes, List<FromRelation> into)
    {
        switch (Text(table, "type"))
        {
            case "EMPTY":
                return true;
            case "BASE_TABLE":
                var name = Text(table, "table_name") ?? "";
                var schema = Text(table, "schema_name") ?? "";
                var alias = Text(table, "alias") is { Length: > 0 } a ? a : name;
                var stored = !(schema.Length == 0 && ctes.Contains(name)) && Empty(table, "column_name_alias")
                    && Text(table, "catalog_name") is null or "";
                into.Add(new FromRelation(schema, stored ? name : null, alias));
                return true;
            case "JOIN":
                if (!Empty(table, "using_columns") || Text(table, "ref_type") is "NATURAL" or "POSITIONAL" or "ASOF" or "DEPENDENT") return false;
                if (Text(table, "join_type") is "SEMI" or "ANTI") return false;
                return Relations(table.GetProperty("left"), ctes, into) && Relations(table.GetProperty("right"), ctes, into);
            default:
                // A subquery, table function or VALUES list: its columns are not a stored table's.
                into.Add(new FromRelation("", null, Text(table, "alias") ?? ""));
                return !(into[^1].Alias.Length == 0 && Text(table, "type") is not ("SUBQUERY" or "TABLE_FUNCTION" or "EXPRESSION_LIST"));
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Empty(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0;
}
