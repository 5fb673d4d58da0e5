using System.Text.Json;

namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// Walks every object and array of a json_serialize_sql statement (no fixed list of fields: subqueries hide in
/// modifiers, STAR REPLACE, window specs, QUALIFY, function arguments, PIVOT lists, lambdas, …), tracking which CTE
/// names are in scope (<see cref="CteScope"/>), and collects table references, function calls, parameters, column
/// references, subquery expressions and every class/type string.
/// </summary>
internal sealed class AstCollector
{
    private enum Slot { None, TableRef, TableFunctionCall }

    private readonly string _sql;
    private readonly Utf8Offsets _offsets;

    public AstCollector(string sql)
    {
        _sql = sql;
        _offsets = new Utf8Offsets(sql);
    }

    public List<TableReference> TableReferences { get; } = [];
    public List<FunctionCall> FunctionCalls { get; } = [];
    public List<ParameterReference> Parameters { get; } = [];
    public List<ColumnReference> ColumnReferences { get; } = [];
    public List<SubqueryExpression> Subqueries { get; } = [];
    public HashSet<string> NodeClasses { get; } = new(StringComparer.Ordinal);
    public HashSet<string> NodeTypes { get; } = new(StringComparer.Ordinal);
    public HashSet<string> UnknownKinds { get; } = new(StringComparer.Ordinal);

    public void WalkStatement(JsonElement statement) => Walk(statement, CteScope.Empty, Slot.None);

    private void Walk(JsonElement element, CteScope scope, Slot slot)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WalkObject(element, scope, slot);
                break;
            case JsonValueKind.Array:
                if (slot == Slot.TableRef) throw Malformed("a table reference is an array");
                foreach (var item in element.EnumerateArray()) Walk(item, scope, Slot.None);
                break;
            default:
                if (slot == Slot.TableRef && element.ValueKind != JsonValueKind.Null)
                    throw Malformed("a table reference is not an object");
                break;
        }
    }

    private void WalkObject(JsonElement node, CteScope scope, Slot slot)
    {
        var cls = OptionalString(node, "class");
        var type = OptionalString(node, "type");
        if (cls is not null)
        {
            NodeClasses.Add(cls);
            if (!AstKinds.IsKnownClass(cls)) UnknownKinds.Add("class:" + cls);
        }
        if (type is not null)
        {
            NodeTypes.Add(type);
            if (!AstKinds.IsKnownType(type)) UnknownKinds.Add("type:" + type);
        }

        Location(node); // every location must be a character boundary, recorded or not (fail closed)

        if (cls is null && type is not null && node.TryGetProperty("cte_map", out var cteMap))
        {
            WalkQueryNode(node, type, cteMap, scope);
            return;
        }
        if (cls is null && type is not null && (slot == Slot.TableRef || LooksLikeTableRef(node)))
        {
            WalkTableRef(node, type, scope);
            return;
        }
        if (slot == Slot.TableRef) throw Malformed("a table reference has no type");
        if (cls is not null) RecordExpression(node, cls, type ?? "", slot == Slot.TableFunctionCall);
        foreach (var property in node.EnumerateObject())
            Walk(property.Value, scope, property.NameEquals("from_table") ? Slot.TableRef : Slot.None);
    }

    // Table references carry alias, sample and query_location and no class; query nodes have a cte_map instead.
    private static bool LooksLikeTableRef(JsonElement node) =>
        node.TryGetProperty("alias", out _) && node.TryGetProperty("sample", out _)
        && node.TryGetProperty("query_location", out _);

    private void WalkQueryNode(JsonElement node, string type, JsonElement cteMap, CteScope outer)
    {
        var scope = outer;
        if (cteMap.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in cteMap.EnumerateObject())
            {
                if (!property.NameEquals("map"))
                {
                    Walk(property.Value, outer, Slot.None);
                    continue;
                }
                if (property.Value.ValueKind != JsonValueKind.Array) throw Malformed("cte_map.map is not an array");
                foreach (var entry in property.Value.EnumerateArray())
                {
                    var name = entry.ValueKind == JsonValueKind.Object ? OptionalString(entry, "key") : null;
                    if (name is null) throw Malformed("a CTE has no name");
                    // The body sees the outer scope and earlier siblings only; a RECURSIVE_CTE_NODE body adds itself
                    // to the scope of its recursive term (below).
                    foreach (var part in entry.EnumerateObject()) Walk(part.Value, scope, Slot.None);
                    scope = scope.With(name);
                }
            }
        }
        else if (cteMap.ValueKind != JsonValueKind.Null) throw Malformed("cte_map is not an object");

        var recursiveName = type == "RECURSIVE_CTE_NODE" ? OptionalString(node, "cte_name") : null;
        if (type == "RECURSIVE_CTE_NODE" && string.IsNullOrEmpty(recursiveName)) throw Malformed("a recursive CTE has no name");
        foreach (var property in node.EnumerateObject())
        {
            if (property.NameEquals("cte_map")) continue;
            var childScope = recursiveName is not null && property.NameEquals("right") ? scope.With(recursiveName) : scope;
            Walk(property.Value, childScope, property.NameEquals("from_table") ? Slot.TableRef : Slot.None);
        }
    }

    private void WalkTableRef(JsonElement node, string type, CteScope scope)
    {
        var kind = TableRefKinds.FromDuckDb(type);
        var catalog = OptionalString(node, "catalog_name") ?? "";
        var schema = OptionalString(node, "schema_name") ?? "";
        var table = OptionalString(node, "table_name") ?? "";
        var offset = Location(node);
        var reference = new TableReference
        {
            Kind = kind,
            DuckDbType = type,
            CatalogName = catalog,
            SchemaName = schema,
            TableName = table,
            Alias = OptionalString(node, "alias") ?? "",
            HasAtClause = IsPresent(node, "at_clause"),
            HasSample = IsPresent(node, "sample"),
            Offset = offset,
        };
        switch (kind)
        {
            case TableRefKind.BaseTable:
                if (table.Length == 0) throw Malformed("a BASE_TABLE has no table_name");
                reference = reference with
                {
                    RefersToCte = catalog.Length == 0 && schema.Length == 0 && scope.Contains(table),
                    NameSpan = offset is { } start ? TableNameLexer.Measure(_sql, start, catalog, schema, table) : null,
                };
                break;
            case TableRefKind.TableFunction:
                if (!node.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
                    throw Malformed("a TABLE_FUNCTION has no function");
                reference = reference with
                {
                    FunctionName = OptionalString(function, "function_name") ?? "",
                    FunctionSchema = OptionalString(function, "schema") ?? "",
                    FunctionCatalog = OptionalString(function, "catalog") ?? "",
                };
                break;
            case TableRefKind.ShowRef:
                reference = reference with { ShowType = OptionalString(node, "show_type") ?? "" };
                break;
        }
        TableReferences.Add(reference);

        foreach (var property in node.EnumerateObject())
        {
            var slot = Slot.None;
            if (kind == TableRefKind.Join && (property.NameEquals("left") || property.NameEquals("right"))) slot = Slot.TableRef;
            else if (kind == TableRefKind.Pivot && property.NameEquals("source")) slot = Slot.TableRef;
            else if (kind == TableRefKind.TableFunction && property.NameEquals("function")) slot = Slot.TableFunctionCall;
            Walk(property.Value, scope, slot);
        }
    }

    private void RecordExpression(JsonElement node, string cls, string type, bool isTableFunction)
    {
        switch (cls)
        {
            case "FUNCTION":
            case "WINDOW":
                FunctionCalls.Add(new FunctionCall(
                    OptionalString(node, "function_name") ?? "",
                    OptionalString(node, "schema") ?? "",
                    OptionalString(node, "catalog") ?? "",
                    node.TryGetProperty("is_operator", out var op) && op.ValueKind == JsonValueKind.True,
                    IsWindow: cls == "WINDOW",
                    isTableFunction,
                    type,
                    Location(node)));
                break;
            case "PARAMETER":
                Parameters.Add(new ParameterReference(OptionalString(node, "identifier") ?? "", Location(node)));
                break;
            case "COLUMN_REF":
                var names = new List<string>();
                if (node.TryGetProperty("column_names", out var columnNames) && columnNames.ValueKind == JsonValueKind.Array)
                    foreach (var name in columnNames.EnumerateArray())
                        names.Add(name.ValueKind == JsonValueKind.String ? name.GetString()! : throw Malformed("a column name is not a string"));
                ColumnReferences.Add(new ColumnReference(names, Location(node)));
                break;
            case "SUBQUERY":
                Subqueries.Add(new SubqueryExpression(OptionalString(node, "subquery_type") ?? "", Location(node)));
                break;
        }
    }

    private int? Location(JsonElement node)
    {
        if (!node.TryGetProperty("query_location", out var location) || location.ValueKind == JsonValueKind.Null) return null;
        if (location.ValueKind != JsonValueKind.Number || !location.TryGetUInt64(out var bytes))
            throw Malformed("query_location is not an unsigned integer");
        return _offsets.ToCharOffset(bytes);
    }

    private static bool IsPresent(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static string? OptionalString(JsonElement node, string name)
    {
        if (!node.TryGetProperty(name, out var value)) return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ when name is "type" or "class" => null, // "type" is also a LogicalType object ({"id": …})
            _ => throw Malformed($"'{name}' is not a string"),
        };
    }

    private static SqlAstException Malformed(string what) => new($"unexpected DuckDB AST shape: {what}");
}
