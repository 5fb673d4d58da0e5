using System.Buffers;
using System.Text;
using System.Text.Json;

namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// Reads json_serialize_sql output into <see cref="AstNode"/>s in one forward pass (no recursion: nesting is bounded by
/// the reader's depth limit, not by the stack), converting every query_location to a char offset as it goes. Names and
/// the grammar's own words are shared strings, integers stay numbers and the working lists are reused, so reading costs
/// little more than the tree it builds.
/// </summary>
internal static class AstReader
{
    private readonly record struct Frame(string? Name, bool IsObject, int List);

    /// <summary>The deepest nesting read (and written back, <see cref="AstNode.WriterOptions"/>).</summary>
    public const int MaxDepth = 4096;

    /// <summary>Sees every document this thread reads (tests: a statement's JSON is read once per plan).</summary>
    [ThreadStatic] private static Action<string>? t_observer;

    public static IDisposable Observe(Action<string> onRead)
    {
        var previous = t_observer;
        t_observer = onRead;
        return new Restore(() => t_observer = previous);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    public static AstNode Read(string json, Utf8Offsets offsets)
    {
        t_observer?.Invoke(json);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(json, bytes);
            return Read(bytes.AsSpan(0, length), offsets);
        }
        catch (JsonException e)
        {
            throw new SqlAstException("the DuckDB AST is not valid JSON: " + e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static AstNode Read(ReadOnlySpan<byte> json, Utf8Offsets offsets)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var frames = new List<Frame>();
        // Working lists by nesting depth, reused by every container at that depth.
        var properties = new List<List<KeyValuePair<string, AstValue>>>();
        var items = new List<List<AstValue>>();
        string? name = null;
        AstValue? root = null;

        void Add(AstValue value, string? propertyName)
        {
            if (frames.Count == 0)
            {
                root = value;
                return;
            }
            var parent = frames[^1];
            if (parent.IsObject) properties[parent.List].Add(new KeyValuePair<string, AstValue>(propertyName ?? "", value));
            else items[parent.List].Add(value);
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                {
                    var isObject = reader.TokenType == JsonTokenType.StartObject;
                    var depth = frames.Count;
                    if (isObject && properties.Count <= depth) properties.AddRange(Enumerable.Range(0, depth + 1 - properties.Count).Select(_ => new List<KeyValuePair<string, AstValue>>()));
                    if (!isObject && items.Count <= depth) items.AddRange(Enumerable.Range(0, depth + 1 - items.Count).Select(_ => new List<AstValue>()));
                    if (isObject) properties[depth].Clear();
                    else items[depth].Clear();
                    frames.Add(new Frame(name, isObject, depth));
                    name = null;
                    break;
                }
                case JsonTokenType.EndObject:
                {
                    var frame = frames[^1];
                    frames.RemoveAt(frames.Count - 1);
                    Add(AstValue.Of(new AstNode([.. properties[frame.List]], offsets)), frame.Name);
                    break;
                }
                case JsonTokenType.EndArray:
                {
                    var frame = frames[^1];
                    frames.RemoveAt(frames.Count - 1);
                    Add(AstValue.Of([.. items[frame.List]]), frame.Name);
                    break;
                }
                case JsonTokenType.PropertyName:
                    name = Words.Of(ref reader);
                    break;
                case JsonTokenType.String:
                    Add(AstValue.String(Words.Of(ref reader)), name);
                    name = null;
                    break;
                case JsonTokenType.Number:
                    Add(reader.TryGetUInt64(out var integer) ? AstValue.Number(integer) : AstValue.Number(Encoding.UTF8.GetString(reader.ValueSpan)), name);
                    name = null;
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    Add(AstValue.Boolean(reader.TokenType == JsonTokenType.True), name);
                    name = null;
                    break;
                case JsonTokenType.Null:
                    Add(AstValue.Null, name);
                    name = null;
                    break;
            }
        }
        return root?.Node ?? throw new SqlAstException("the DuckDB AST is not a JSON object");
    }

    /// <summary>
    /// Property names and the grammar's own words (node classes and types, enum values) as shared strings: they recur in
    /// every tree. Anything else (names, literals) is decoded as it is.
    /// </summary>
    private static class Words
    {
        private static readonly string[] Known =
        [
            "class", "type", "alias", "query_location", "children", "function_name", "schema", "catalog", "is_operator",
            "distinct", "filter", "order_bys", "export_state", "value", "is_null", "id", "type_info", "column_names",
            "left", "right", "input", "lower", "upper", "child", "cast_type", "try_cast", "cte_map", "map", "key",
            "node", "select_list", "from_table", "where_clause", "group_expressions", "group_sets", "aggregate_handling",
            "having", "sample", "qualify", "modifiers", "table_name", "schema_name", "catalog_name", "column_name_alias",
            "at_clause", "function", "condition", "join_type", "ref_type", "using_columns", "delim_flipped",
            "duplicate_eliminated_columns", "subquery", "subquery_type", "comparison_type", "identifier", "orders",
            "null_order", "expression", "limit", "offset", "distinct_on_targets", "statements", "error", "show_type",
            "setop_type", "setop_all", "cte_name", "union_all", "key_targets", "query", "materialized", "aliases",
            "collation", "width", "scale", "partitions", "start", "end", "start_expr", "end_expr", "offset_expr",
            "default_expr", "ignore_nulls", "exclude_clause", "exclude_list", "replace_list", "columns", "unpacked",
            "qualified_exclude_list", "rename_list", "lhs", "expr", "relation_name", "alias_type", "modifiers",
            "extension_info", "child_type", "child_list", "size", "is_column_ref", "parameters", "column_name",
            "", "INNER", "LEFT", "RIGHT", "OUTER", "SEMI", "ANTI", "REGULAR", "NATURAL", "CROSS", "POSITIONAL", "ASOF",
            "STANDARD_HANDLING", "FORCE_AGGREGATES", "NO_AGGREGATES_ALLOWED", "ORDER_DEFAULT", "ASCENDING", "DESCENDING",
            "NULLS_FIRST", "NULLS_LAST", "NULLS_DEFAULT", "UNION", "UNION_BY_NAME", "EXCEPT", "INTERSECT", "NONE",
            "CTE_MATERIALIZE_DEFAULT", "CTE_MATERIALIZE_ALWAYS", "CTE_MATERIALIZE_NEVER", "INVALID", "ANY", "EXISTS",
            "NOT_EXISTS", "SCALAR", "INTEGER", "BIGINT", "HUGEINT", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER",
            "DECIMAL", "DOUBLE", "FLOAT", "VARCHAR", "BOOLEAN", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE",
            "INTERVAL", "BLOB", "UUID", "LIST", "STRUCT", "MAP", "NULL", "SQLNULL", "USER", "UNBOUND",
        ];

        private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
            Known.Concat(AstKinds.ExpressionClasses).Concat(AstKinds.ExpressionTypes).Concat(AstKinds.QueryNodeTypes)
                .Concat(AstKinds.TableRefTypes).Concat(AstKinds.ModifierTypes).Concat(AstKinds.TypeInfoTypes)
                .Distinct().ToDictionary(n => n, n => n, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

        public static string Of(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= 48)
            {
                Span<char> chars = stackalloc char[48];
                if (Encoding.UTF8.TryGetChars(reader.ValueSpan, chars, out var n) && Lookup.TryGetValue(chars[..n], out var known))
                    return known;
            }
            return reader.GetString()!;
        }
    }
}
