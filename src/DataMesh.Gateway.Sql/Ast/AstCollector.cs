namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// Walks every object and array of a statement's tree (no fixed list of fields: subqueries hide in modifiers, STAR
/// REPLACE, window specs, QUALIFY, function arguments, PIVOT lists, lambdas, …), tracking which CTE names are in scope
/// (<see cref="CteScope"/>), and collects table references, function calls, parameters, column references, subquery
/// expressions and every class/type string.
/// </summary>
internal sealed class AstCollector(string sql)
{
    private enum Slot { None, TableRef, TableFunctionCall }

    public List<TableReference> TableReferences { get; } = [];
    public List<FunctionCall> FunctionCalls { get; } = [];
    public List<ParameterReference> Parameters { get; } = [];
    public List<ColumnReference> ColumnReferences { get; } = [];
    public List<SubqueryExpression> Subqueries { get; } = [];
    public HashSet<string> NodeClasses { get; } = new(StringComparer.Ordinal);
    public HashSet<string> NodeTypes { get; } = new(StringComparer.Ordinal);
    public HashSet<string> UnknownKinds { get; } = new(StringComparer.Ordinal);

    public void WalkStatement(AstNode statement) => WalkObject(statement, CteScope.Empty, Slot.None);

    private void Walk(AstValue value, CteScope scope, Slot slot)
    {
        switch (value.Kind)
        {
            case AstValueKind.Object:
                WalkObject(value.Node!, scope, slot);
                break;
            case AstValueKind.Array:
                if (slot == Slot.TableRef) throw Malformed("a table reference is an array");
                foreach (var item in value.Items) Walk(item, scope, Slot.None);
                break;
            default:
                if (slot == Slot.TableRef && value.Kind != AstValueKind.Null) throw Malformed("a table reference is not an object");
                break;
        }
    }

    private void WalkObject(AstNode node, CteScope scope, Slot slot)
    {
        var cls = node.Class;
        var type = node.Type;
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

        if (cls is null && type is not null && node.Has("cte_map"))
        {
            WalkQueryNode(node, type, node["cte_map"], scope);
            return;
        }
        if (cls is null && type is not null && (slot == Slot.TableRef || LooksLikeTableRef(node)))
        {
            WalkTableRef(node, type, scope);
            return;
        }
        if (slot == Slot.TableRef) throw Malformed("a table reference has no type");
        if (cls is not null) RecordExpression(node, cls, type ?? "", slot == Slot.TableFunctionCall);
        foreach (var (name, value) in node.Properties)
            Walk(value, scope, name == "from_table" ? Slot.TableRef : Slot.None);
    }

    // Table references carry alias, sample and query_location and no class; query nodes have a cte_map instead.
    private static bool LooksLikeTableRef(AstNode node) => node.Has("alias") && node.Has("sample") && node.Has("query_location");

    private void WalkQueryNode(AstNode node, string type, AstValue cteMap, CteScope outer)
    {
        var scope = outer;
        if (cteMap.Node is { } map)
        {
            foreach (var (name, value) in map.Properties)
            {
                if (name != "map")
                {
                    Walk(value, outer, Slot.None);
                    continue;
                }
                if (value.Kind != AstValueKind.Array) throw Malformed("cte_map.map is not an array");
                foreach (var entry in value.Items)
                {
                    var cte = entry.Node;
                    var cteName = cte is null ? null : OptionalString(cte, "key");
                    if (cte is null || cteName is null) throw Malformed("a CTE has no name");
                    // The body sees the outer scope and earlier siblings only; a RECURSIVE_CTE_NODE body adds itself
                    // to the scope of its recursive term (below).
                    foreach (var part in cte.Properties) Walk(part.Value, scope, Slot.None);
                    scope = scope.With(cteName);
                }
            }
        }
        else if (cteMap.Kind != AstValueKind.Null) throw Malformed("cte_map is not an object");

        var recursiveName = type == "RECURSIVE_CTE_NODE" ? OptionalString(node, "cte_name") : null;
        if (type == "RECURSIVE_CTE_NODE" && string.IsNullOrEmpty(recursiveName)) throw Malformed("a recursive CTE has no name");
        foreach (var (name, value) in node.Properties)
        {
            if (name == "cte_map") continue;
            var childScope = recursiveName is not null && name == "right" ? scope.With(recursiveName) : scope;
            Walk(value, childScope, name == "from_table" ? Slot.TableRef : Slot.None);
        }
    }

    private void WalkTableRef(AstNode node, string type, CteScope scope)
    {
        var kind = TableRefKinds.FromDuckDb(type);
        var catalog = OptionalString(node, "catalog_name") ?? "";
        var schema = OptionalString(node, "schema_name") ?? "";
        var table = OptionalString(node, "table_name") ?? "";
        var offset = node.Offset;
        var reference = new TableReference
        {
            Kind = kind,
            DuckDbType = type,
            CatalogName = catalog,
            SchemaName = schema,
            TableName = table,
            Alias = OptionalString(node, "alias") ?? "",
            HasAtClause = !node["at_clause"].IsNull,
            HasSample = !node["sample"].IsNull,
            Offset = offset,
        };
        switch (kind)
        {
            case TableRefKind.BaseTable:
                if (table.Length == 0) throw Malformed("a BASE_TABLE has no table_name");
                reference = reference with
                {
                    RefersToCte = catalog.Length == 0 && schema.Length == 0 && scope.Contains(table),
                    NameSpan = offset is { } start ? TableNameLexer.Measure(sql, start, catalog, schema, table) : null,
                };
                break;
            case TableRefKind.TableFunction:
                if (node.Node("function") is not { } function) throw Malformed("a TABLE_FUNCTION has no function");
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

        foreach (var (name, value) in node.Properties)
        {
            var slot = Slot.None;
            if (kind == TableRefKind.Join && name is "left" or "right") slot = Slot.TableRef;
            else if (kind == TableRefKind.Pivot && name == "source") slot = Slot.TableRef;
            else if (kind == TableRefKind.TableFunction && name == "function") slot = Slot.TableFunctionCall;
            Walk(value, scope, slot);
        }
    }

    private void RecordExpression(AstNode node, string cls, string type, bool isTableFunction)
    {
        switch (cls)
        {
            case "FUNCTION":
            case "WINDOW":
                FunctionCalls.Add(new FunctionCall(
                    OptionalString(node, "function_name") ?? "",
                    OptionalString(node, "schema") ?? "",
                    OptionalString(node, "catalog") ?? "",
                    node.IsOperator,
                    IsWindow: cls == "WINDOW",
                    isTableFunction,
                    type,
                    node.Offset));
                break;
            case "PARAMETER":
                Parameters.Add(new ParameterReference(OptionalString(node, "identifier") ?? "", node.Offset));
                break;
            case "COLUMN_REF":
                var names = new List<string>();
                foreach (var name in node["column_names"].Items)
                    names.Add(name is { Kind: AstValueKind.String, Text: { } text } ? text : throw Malformed("a column name is not a string"));
                ColumnReferences.Add(new ColumnReference(names, node.Offset));
                break;
            case "SUBQUERY":
                Subqueries.Add(new SubqueryExpression(OptionalString(node, "subquery_type") ?? "", node.Offset));
                break;
        }
    }

    private static string? OptionalString(AstNode node, string name)
    {
        var value = node[name];
        return value.Kind switch
        {
            AstValueKind.String => value.Text,
            AstValueKind.Null => null,
            _ => throw Malformed($"'{name}' is not a string"),
        };
    }

    private static SqlAstException Malformed(string what) => new($"unexpected DuckDB AST shape: {what}");
}
