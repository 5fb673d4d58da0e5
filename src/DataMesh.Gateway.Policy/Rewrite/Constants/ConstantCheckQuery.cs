using System.Buffers;
using System.Text;
using System.Text.Json;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>
/// The check query of a list of constant expressions: one SELECT without FROM of every expression, written as a
/// json_serialize_sql document straight from the query's typed tree (nothing of the query is parsed again). The
/// statement around the select list is DuckDB's own serialisation of <c>SELECT 1</c>, read once per process: its
/// shape belongs to the engine's version, not to the query.
/// </summary>
internal static class ConstantCheckQuery
{
    private static AstNode? s_selectOne;

    /// <summary>The document of <c>SELECT c0, c1, …</c> over <paramref name="constants"/> (distinct aliases: the engine
    /// refuses duplicate result columns).</summary>
    public static string Of(IReadOnlyList<ConstantExpression> constants, IConstantEvaluator evaluator)
    {
        var statement = Volatile.Read(ref s_selectOne);
        if (statement is null)
        {
            statement = SqlAst.Parse(evaluator.Serialize("SELECT 1"), "SELECT 1").Statement;
            Volatile.Write(ref s_selectOne, statement);
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, AstNode.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("error", false);
            writer.WriteStartArray("statements");
            writer.WriteStartObject();
            foreach (var (name, value) in statement.Properties)
            {
                writer.WritePropertyName(name);
                if (name == "node" && value.Node is { } node) WriteSelect(writer, node, constants);
                else value.WriteTo(writer);
            }
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The parameter numbers (<c>$n</c>) the expressions name.</summary>
    public static IReadOnlySet<int> ParameterNumbers(IEnumerable<ConstantExpression> constants)
    {
        var numbers = new HashSet<int>();
        foreach (var constant in constants)
            foreach (var node in constant.Expression?.Descendants() ?? [])
                if (node.Class == "PARAMETER" && int.TryParse(node.String("identifier"), out var n)) numbers.Add(n);
        return numbers;
    }

    private static void WriteSelect(Utf8JsonWriter writer, AstNode select, IReadOnlyList<ConstantExpression> constants)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in select.Properties)
        {
            writer.WritePropertyName(name);
            if (name != "select_list")
            {
                value.WriteTo(writer);
                continue;
            }
            writer.WriteStartArray();
            for (var i = 0; i < constants.Count; i++) Write(writer, constants[i], "c" + i);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>One expression as a json_serialize_sql node: the query's own node, or CAST(operand AS type) for a
    /// cast the binder adds, whose operand is the query's node or a literal from the bound plan.</summary>
    private static void Write(Utf8JsonWriter writer, ConstantExpression constant, string alias)
    {
        if (constant.CastType is null)
        {
            WriteOperand(writer, constant, alias);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("class", "CAST");
        writer.WriteString("type", "OPERATOR_CAST");
        writer.WriteString("alias", alias);
        writer.WritePropertyName("child");
        WriteOperand(writer, constant, alias: null);
        writer.WritePropertyName("cast_type");
        writer.WriteRawValue(constant.CastType);
        writer.WriteBoolean("try_cast", false);
        writer.WriteEndObject();
    }

    private static void WriteOperand(Utf8JsonWriter writer, ConstantExpression constant, string? alias)
    {
        if (constant.Expression is { } expression)
        {
            expression.WriteTo(writer, alias);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("class", "CONSTANT");
        writer.WriteString("type", "VALUE_CONSTANT");
        writer.WriteString("alias", alias ?? "");
        writer.WritePropertyName("value");
        writer.WriteRawValue(constant.PlanValue ?? throw new InvalidOperationException("a constant with neither a node nor a value"));
        writer.WriteEndObject();
    }
}
