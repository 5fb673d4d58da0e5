using System.Text;
using System.Text.Json;

namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// One object of DuckDB's syntax tree (json_serialize_sql), read once by <see cref="SqlAst.Parse"/>. Every property is
/// kept, in document order, so walks can visit everything (deny by default: nothing is skipped because a reader did not
/// know a field); the parts the policy reads have typed views (AstNode.Expressions.cs). <see cref="Offset"/> is a
/// char offset into the statement's text, converted once from DuckDB's UTF-8 byte location: the one notion of position.
/// </summary>
public sealed partial class AstNode
{
    private readonly KeyValuePair<string, AstValue>[] _properties;

    internal AstNode(KeyValuePair<string, AstValue>[] properties, Utf8Offsets offsets)
    {
        _properties = properties;
        Class = String("class");
        // "type" is also a LogicalType object ({"id": …}): only a string names the node's kind.
        Type = String("type");
        var location = this["query_location"];
        if (location.IsNull) return;
        if (!location.TryGetUInt64(out var bytes))
            throw new SqlAstException("unexpected DuckDB AST shape: query_location is not an unsigned integer");
        Offset = offsets.ToCharOffset(bytes); // fails closed on an offset inside a character
    }

    /// <summary>The expression class ("FUNCTION", "CONSTANT", …); null for query nodes, table references and other objects.</summary>
    public string? Class { get; }

    /// <summary>The node's kind as a string "type" (an expression type, query node type, table reference type, modifier…).</summary>
    public string? Type { get; }

    /// <summary>Where the node starts in the statement's text (chars); null when DuckDB gave no location.</summary>
    public int? Offset { get; }

    public IReadOnlyList<KeyValuePair<string, AstValue>> Properties => _properties;

    /// <summary>A property's value; <see cref="AstValue.Missing"/> (null) when the node has none of that name.</summary>
    public AstValue this[string name]
    {
        get
        {
            foreach (var property in _properties)
                if (string.Equals(property.Key, name, StringComparison.Ordinal)) return property.Value;
            return AstValue.Missing;
        }
    }

    public bool Has(string name)
    {
        foreach (var property in _properties)
            if (string.Equals(property.Key, name, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>The object a property holds, or null.</summary>
    public AstNode? Node(string name) => this[name].Node;

    /// <summary>The objects of an array property (its other items left out).</summary>
    public IReadOnlyList<AstNode> Nodes(string name)
    {
        var items = this[name].Items;
        if (items.Count == 0) return [];
        var nodes = new List<AstNode>(items.Count);
        foreach (var item in items)
            if (item.Node is { } node) nodes.Add(node);
        return nodes;
    }

    /// <summary>A string property's value, or null.</summary>
    public string? String(string name) => this[name] is { Kind: AstValueKind.String, Text: { } text } ? text : null;

    /// <summary>True only when the property is JSON true.</summary>
    public bool Flag(string name) => this[name].Kind == AstValueKind.True;

    /// <summary>An expression (it has a class).</summary>
    public bool IsExpression => Class is not null;

    /// <summary>A query node (SELECT_NODE, SET_OPERATION_NODE, RECURSIVE_CTE_NODE): it has a cte_map.</summary>
    public bool IsQueryNode => Class is null && Has("cte_map");

    /// <summary>This node as JSON, as DuckDB wrote it (json_deserialize_sql reads it back as SQL).</summary>
    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>As deep as <see cref="AstReader"/> reads: whatever was read can be written back.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { MaxDepth = AstReader.MaxDepth };

    /// <summary>Writes this node as JSON; <paramref name="alias"/>, when given, replaces (or adds) its "alias".</summary>
    public void WriteTo(Utf8JsonWriter writer, string? alias = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        var aliased = alias is null;
        foreach (var (name, child) in _properties)
        {
            writer.WritePropertyName(name);
            if (!aliased && name == "alias")
            {
                writer.WriteStringValue(alias);
                aliased = true;
            }
            else child.WriteTo(writer);
        }
        if (!aliased) writer.WriteString("alias", alias);
        writer.WriteEndObject();
    }

    /// <summary>Every object nested in this one (itself first), pre-order, document order.</summary>
    public IEnumerable<AstNode> Descendants()
    {
        var stack = new Stack<AstNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            for (var i = node._properties.Length - 1; i >= 0; i--) PushNodes(stack, node._properties[i].Value);
        }
    }

    /// <summary>
    /// The expressions directly below this node: every expression nested anywhere inside it (not itself), in document
    /// order, without descending below the first expression on each path (an operator's operands, a call's arguments,
    /// and the expressions a window or a lambda holds in its other fields).
    /// </summary>
    public IReadOnlyList<AstNode> NestedExpressions()
    {
        var found = new List<AstNode>();
        foreach (var (_, value) in _properties) AddExpressions(found, value);
        return found;
    }

    private static void AddExpressions(List<AstNode> found, AstValue value)
    {
        if (value.Node is { } node)
        {
            if (node.IsExpression) found.Add(node);
            else foreach (var (_, inner) in node._properties) AddExpressions(found, inner);
            return;
        }
        foreach (var item in value.Items) AddExpressions(found, item);
    }

    private static void PushNodes(Stack<AstNode> stack, AstValue value)
    {
        if (value.Node is { } node)
        {
            stack.Push(node);
            return;
        }
        var items = value.Items;
        for (var i = items.Count - 1; i >= 0; i--) PushNodes(stack, items[i]);
    }
}
