using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Tests.Sql.Ast;

/// <summary>The typed tree every policy step reads: read once, positions in chars, every property kept in order.</summary>
public sealed class AstTreeTests
{
    private static AstNode Where(string predicate) =>
        AstTestEngine.Parse($"SELECT * FROM t WHERE {predicate}").Statement.Node("node")!.Node("where_clause")!;

    [Fact]
    public void Expression_views_read_operators_functions_constants_and_casts()
    {
        var and = Where("upper(name) = 'É' AND amount BETWEEN 1.25 AND 10 AND CAST(d AS DATE) IS NOT NULL");
        Assert.Equal(("CONJUNCTION", "CONJUNCTION_AND"), (and.Class, and.Type));
        var (compare, between, isNotNull) = (and.Children[0], and.Children[1], and.Children[2]);

        Assert.Equal("COMPARISON", compare.Class);
        Assert.Equal(("upper", false), (compare.Left!.FunctionName, compare.Left.IsOperator));
        Assert.Equal(["name"], compare.Left.Children.Single().ColumnNames);
        Assert.True(compare.Right!.Constant!.Value.TryString(out var text));
        Assert.Equal("É", text);

        Assert.Equal(["amount"], between.Input!.ColumnNames);
        Assert.Equal(("DECIMAL", (3, 2)), (between.Lower!.Constant!.Value.TypeId, between.Lower.Constant.Value.Decimal));
        Assert.Equal(("INTEGER", "10"), (between.Upper!.Constant!.Value.TypeId, between.Upper.Constant.Value.Text));

        var cast = isNotNull.Children.Single();
        Assert.Equal(("CAST", "DATE", false), (cast.Class, cast.CastTypeId, cast.IsTryCast));
        Assert.Equal(["d"], cast.CastChild!.ColumnNames);
    }

    [Fact]
    public void Offsets_are_chars_of_the_original_text_wherever_the_node_is()
    {
        const string sql = "SELECT '😀é' AS a FROM t WHERE lower(x) = 'ü' AND y > 2";
        var parsed = AstTestEngine.Parse(sql);
        var lower = parsed.Statement.Descendants().Single(n => n.FunctionName == "lower");
        var greater = parsed.Statement.Descendants().Single(n => n.Type == "COMPARE_GREATERTHAN");
        Assert.Equal(sql.IndexOf("lower", StringComparison.Ordinal), lower.Offset);
        Assert.Equal(sql.IndexOf("> 2", StringComparison.Ordinal), greater.Offset);
    }

    [Fact]
    public void Every_property_is_kept_in_document_order_and_a_missing_one_reads_as_null()
    {
        var select = AstTestEngine.Parse("SELECT 1 FROM t").Statement.Node("node")!;
        Assert.Equal("SELECT_NODE", select.Type);
        Assert.True(select.IsQueryNode);
        var names = select.Properties.Select(p => p.Key).ToList();
        Assert.Equal(0, names.IndexOf("type"));
        Assert.True(names.IndexOf("select_list") < names.IndexOf("from_table"), string.Join(", ", names));
        Assert.True(select["no_such_property"].IsNull);
        Assert.Null(select.Node("no_such_property"));
        Assert.Empty(select.Nodes("no_such_property"));
    }

    [Theory]
    [InlineData("SELECT coalesce(a, 'x''y') || b AS c FROM t WHERE c IN (1, -2, 3.5e3) AND d <> 'é😀' ORDER BY 1 LIMIT 18446744073709551615")]
    [InlineData("WITH w AS (SELECT * FROM s) SELECT sum(x) OVER (PARTITION BY y) FROM w JOIN u USING (k) WHERE NOT z")]
    public void A_tree_writes_back_the_json_DuckDB_reads_as_the_same_statement(string sql)
    {
        var json = AstTestEngine.Json(sql);
        var rewritten = "{\"error\":false,\"statements\":[" + SqlAst.Parse(json, sql).Statement.ToJson() + "]}";
        using var duck = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        duck.Open();
        string Deserialize(string text)
        {
            using var cmd = duck.CreateCommand();
            cmd.CommandText = "SELECT json_deserialize_sql(" + DuckDbEngine.Literal(text) + ")";
            return (string)cmd.ExecuteScalar()!;
        }
        Assert.Equal(Deserialize(json), Deserialize(rewritten));
        if (sql.Contains("LIMIT", StringComparison.Ordinal))
            Assert.Contains("18446744073709551615", Deserialize(rewritten)); // a number beyond long survives
    }

    [Fact]
    public void Deep_nesting_is_read_without_recursion()
    {
        // 1,500 nested parentheses: far deeper than any client sends; the reader walks it with its own stack.
        var sql = "SELECT " + new string('(', 1500) + "1" + new string(')', 1500);
        var parsed = AstTestEngine.Parse(sql);
        Assert.True(parsed.Statement.Descendants().Count() > 2);
    }

    [Fact]
    public void A_location_that_is_not_an_unsigned_integer_is_refused() =>
        Assert.Throws<SqlAstException>(() => SqlAst.Parse(
            AstTestEngine.Json("SELECT x FROM t").Replace("\"query_location\":7", "\"query_location\":-7", StringComparison.Ordinal), "SELECT x FROM t"));
}
