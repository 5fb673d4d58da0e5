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
    public static SelectColumnSources? Read(ParsedQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Statement.Node("node") is not { Type: "SELECT_NODE" } node) return null;
        var ctes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in node.Node("cte_map")?.Nodes("map") ?? [])
            if (entry.String("key") is { } key) ctes.Add(key);
        var from = new List<FromRelation>();
        if (node.Node("from_table") is not { } fromTable || !Relations(fromTable, ctes, from)) return null;
        if (node["select_list"].Kind != AstValueKind.Array) return null;
        var select = new List<SelectSource>();
        foreach (var e in node["select_list"].Items)
        {
            if (e.Node is not { } expression) return null;
            select.Add(Source(expression));
        }
        return select.Any(s => s.IsStar && s.Column == "") ? null : new SelectColumnSources(select, from);
    }

    private static SelectSource Source(AstNode e)
    {
        switch (e.Class)
        {
            case "COLUMN_REF" when e["column_names"].Items is { Count: > 0 } names:
                return new SelectSource(names[^1].Text ?? "", names.Count > 1 ? names[^2].Text ?? "" : "", false);
            case "STAR":
                // A star with modifiers: its columns cannot be counted from the syntax ("" marks it; Read gives up).
                var plain = Empty(e, "exclude_list") && Empty(e, "replace_list") && Empty(e, "rename_list")
                    && !e.Flag("columns") && e["expr"].IsNull;
                return new SelectSource(plain ? null : "", e.String("relation_name") ?? "", true);
            default:
                return new SelectSource(null, "", false);
        }
    }

    /// <summary>Adds the relations of a FROM item in star order; false when the columns cannot be traced.</summary>
    private static bool Relations(AstNode table, HashSet<string> ctes, List<FromRelation> into)
    {
        switch (table.Type)
        {
            case "EMPTY":
                return true;
            case "BASE_TABLE":
                var name = table.String("table_name") ?? "";
                var schema = table.String("schema_name") ?? "";
                var alias = table.String("alias") is { Length: > 0 } a ? a : name;
                var stored = !(schema.Length == 0 && ctes.Contains(name)) && Empty(table, "column_name_alias")
                    && table.String("catalog_name") is null or "";
                into.Add(new FromRelation(schema, stored ? name : null, alias));
                return true;
            case "JOIN":
                if (!Empty(table, "using_columns") || table.String("ref_type") is "NATURAL" or "POSITIONAL" or "ASOF" or "DEPENDENT") return false;
                if (table.String("join_type") is "SEMI" or "ANTI") return false;
                return table.Left is { } left && table.Right is { } right && Relations(left, ctes, into) && Relations(right, ctes, into);
            default:
                // A subquery, table function or VALUES list: its columns are not a stored table's.
                into.Add(new FromRelation("", null, table.String("alias") ?? ""));
                return !(into[^1].Alias.Length == 0 && table.Type is not ("SUBQUERY" or "TABLE_FUNCTION" or "EXPRESSION_LIST"));
        }
    }

    private static bool Empty(AstNode e, string name) => e[name].Items.Count == 0;
}
