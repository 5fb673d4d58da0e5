using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Tests.Sql.Ast;

public sealed class SqlAstTests
{
    private static TableReference Single(ParsedQuery q, TableRefKind kind) => Assert.Single(q.TableReferences, t => t.Kind == kind);

    [Fact]
    public void Quoted_schema_qualified_table_has_exact_span_without_alias()
    {
        const string sql = "SELECT * FROM \"marketing\".\"mkt_sls_table\" AS m WHERE x = 1";
        var t = Single(AstTestEngine.Parse(sql), TableRefKind.BaseTable);
        Assert.Equal(("", "marketing", "mkt_sls_table", "m"), (t.CatalogName, t.SchemaName, t.TableName, t.Alias));
        Assert.Equal(new TextSpan(14, 27), t.NameSpan);
        Assert.Equal("\"marketing\".\"mkt_sls_table\"", t.NameSpan!.Value.Of(sql));
        Assert.False(t.RefersToCte);
    }

    [Fact]
    public void Catalog_schema_table_with_at_clause()
    {
        const string sql = "SELECT * FROM cat.sch.tbl AT (VERSION => 1)";
        var t = Single(AstTestEngine.Parse(sql), TableRefKind.BaseTable);
        Assert.Equal(("cat", "sch", "tbl", ""), (t.CatalogName, t.SchemaName, t.TableName, t.Alias));
        Assert.True(t.HasAtClause);
        Assert.Equal(new TextSpan(14, 11), t.NameSpan);
    }

    [Fact]
    public void Table_sample_belongs_to_the_reference_but_using_sample_to_the_select()
    {
        Assert.True(Single(AstTestEngine.Parse("SELECT * FROM t1 TABLESAMPLE 5 ROWS"), TableRefKind.BaseTable).HasSample);
        Assert.False(Single(AstTestEngine.Parse("SELECT * FROM t1 USING SAMPLE 10%"), TableRefKind.BaseTable).HasSample);
    }

    [Fact]
    public void Unicode_before_the_table_makes_byte_and_char_offsets_differ()
    {
        const string sql = "SELECT 'é€😀' AS a, x FROM \"ünïcödé\".\"tàblé\" WHERE y = '😀😀'";
        var t = Single(AstTestEngine.Parse(sql), TableRefKind.BaseTable);
        Assert.Equal(27, t.Offset);
        Assert.Equal(new TextSpan(27, 17), t.NameSpan);
        Assert.Equal(("ünïcödé", "tàblé"), (t.SchemaName, t.TableName));
    }

    [Fact]
    public void Comments_inside_a_qualified_name_are_inside_the_span()
    {
        const string sql = "SELECT * FROM main /* c */ . /* d */ \"x\" y";
        var t = Single(AstTestEngine.Parse(sql), TableRefKind.BaseTable);
        Assert.Equal("main /* c */ . /* d */ \"x\"", t.NameSpan!.Value.Of(sql));
        Assert.Equal("y", t.Alias);
    }

    [Theory]
    [InlineData("SELECT * FROM 'x.parquet'", "'x.parquet'", "x.parquet")]
    [InlineData("SELECT * FROM 'it''s.csv' c", "'it''s.csv'", "it's.csv")]
    [InlineData("SELECT * FROM E'x\\'y.parquet'", "E'x\\'y.parquet'", "x'y.parquet")]
    [InlineData("SELECT * FROM $$x.parquet$$ AS f", "$$x.parquet$$", "x.parquet")]
    [InlineData("SELECT * FROM \"data/file.parquet\"", "\"data/file.parquet\"", "data/file.parquet")]
    public void File_paths_as_table_names(string sql, string spanText, string name)
    {
        var t = Single(AstTestEngine.Parse(sql), TableRefKind.BaseTable);
        Assert.Equal(name, t.TableName);
        Assert.Equal(spanText, t.NameSpan!.Value.Of(sql));
    }

    [Fact]
    public void Table_functions_report_name_schema_catalog_and_appear_as_function_calls()
    {
        var q = AstTestEngine.Parse("SELECT * FROM system.main.duckdb_tables() d, query('SELECT 1') q2, read_parquet('x.parquet')");
        var functions = q.TableReferences.Where(t => t.Kind == TableRefKind.TableFunction).ToList();
        Assert.Equal(["duckdb_tables", "query", "read_parquet"], functions.Select(f => f.FunctionName));
        Assert.Equal(("system", "main", "d"), (functions[0].FunctionCatalog, functions[0].FunctionSchema, functions[0].Alias));
        Assert.Equal(14, functions[0].Offset);
        Assert.Equal(["duckdb_tables", "query", "read_parquet"], q.FunctionCalls.Where(f => f.IsTableFunction).Select(f => f.FunctionName));
    }

    [Fact]
    public void Function_calls_include_operators_macros_windows_and_catalog_qualified_calls()
    {
        var q = AstTestEngine.Parse(
            "SELECT a + 1, main.my_macro(a), system.main.current_setting('x'), row_number() OVER (ORDER BY a) FROM t1");
        Assert.Contains(q.FunctionCalls, f => f is { FunctionName: "+", IsOperator: true });
        Assert.Contains(q.FunctionCalls, f => f is { FunctionName: "my_macro", Schema: "main", Catalog: "", IsOperator: false });
        Assert.Contains(q.FunctionCalls, f => f is { FunctionName: "current_setting", Schema: "main", Catalog: "system" });
        Assert.Contains(q.FunctionCalls, f => f is { FunctionName: "row_number", IsWindow: true, ExpressionType: "WINDOW_ROW_NUMBER" });
    }

    [Theory]
    [InlineData("SELECT * FROM t1 WHERE a = $1 AND b = $2", new[] { "1", "2" })]
    [InlineData("SELECT * FROM t1 WHERE a = ? AND b = ?", new[] { "1", "2" })]
    [InlineData("SELECT * FROM t1 WHERE a = $name", new[] { "name" })]
    public void Parameters_are_collected_without_locations(string sql, string[] identifiers)
    {
        var q = AstTestEngine.Parse(sql);
        Assert.Equal(identifiers, q.Parameters.Select(p => p.Identifier));
        Assert.All(q.Parameters, p => Assert.Null(p.Offset)); // DuckDB gives parameters no query_location
    }

    [Fact]
    public void Column_refs_and_subquery_expressions_are_collected()
    {
        const string sql = "SELECT t.a, b FROM t1 t WHERE EXISTS (SELECT 1 FROM t2) AND a IN (SELECT a FROM t3)";
        var q = AstTestEngine.Parse(sql);
        Assert.Contains(q.ColumnReferences, c => c.ColumnNames.SequenceEqual(["t", "a"]) && c.Offset == 7);
        Assert.Equal(["EXISTS", "ANY"], q.Subqueries.Select(s => s.SubqueryType));
        Assert.Equal(sql.IndexOf("EXISTS", StringComparison.Ordinal), q.Subqueries[0].Offset); // EXISTS: at the keyword
    }

    [Theory]
    [InlineData("SELECT * FROM t1 ORDER BY (SELECT max(x) FROM t2) LIMIT (SELECT count(*) FROM t3) OFFSET (SELECT 1 FROM t4)")]
    [InlineData("SELECT * REPLACE ((SELECT max(x) FROM t2) AS a) FROM t1 WHERE (SELECT 1 FROM t3) AND (SELECT 1 FROM t4)")]
    [InlineData("SELECT sum(a) OVER (PARTITION BY (SELECT 1 FROM t2) ORDER BY (SELECT 2 FROM t3) ROWS BETWEEN (SELECT 1 FROM t4) PRECEDING AND CURRENT ROW) FROM t1")]
    [InlineData("SELECT a FROM t1 QUALIFY row_number() OVER (ORDER BY a) = (SELECT 1 FROM t2) AND (SELECT 1 FROM t3) AND (SELECT 1 FROM t4)")]
    [InlineData("SELECT list_transform([1], x -> (SELECT 1 FROM t2) + (SELECT 1 FROM t3) + (SELECT 1 FROM t4)) FROM t1")]
    [InlineData("SELECT count(*) FILTER (WHERE a IN (SELECT a FROM t2)), coalesce((SELECT 1 FROM t3), (SELECT 1 FROM t4)) FROM t1")]
    public void Subqueries_hidden_in_any_clause_are_found(string sql)
    {
        var names = AstTestEngine.Parse(sql).BaseTables.Select(t => t.TableName).Order().ToArray();
        Assert.Equal(["t1", "t2", "t3", "t4"], names);
    }

    [Fact]
    public void A_named_window_is_copied_into_each_use_so_its_references_repeat()
    {
        const string sql = "SELECT row_number() OVER w, rank() OVER w FROM t1 WINDOW w AS (ORDER BY (SELECT 1 FROM t2))";
        var t2 = AstTestEngine.Parse(sql).BaseTables.Where(t => t.TableName == "t2").ToList();
        Assert.Equal(2, t2.Count);
        Assert.Equal(t2[0].NameSpan, t2[1].NameSpan);
    }

    [Fact]
    public void Values_pivot_and_show_refs_are_reported_with_their_kinds()
    {
        Assert.Equal("valueslist", Single(AstTestEngine.Parse("VALUES (1), (2)"), TableRefKind.ExpressionList).Alias);
        var pivot = AstTestEngine.Parse("SELECT * FROM tbl PIVOT (sum(y) FOR x IN ('a', 'b'))");
        Assert.Equal([TableRefKind.Pivot, TableRefKind.BaseTable], pivot.TableReferences.Select(t => t.Kind));
        var describe = AstTestEngine.Parse("DESCRIBE sch.tbl");
        Assert.Equal("DESCRIBE", Single(describe, TableRefKind.ShowRef).ShowType);
        Assert.Equal(new TextSpan(9, 7), Single(describe, TableRefKind.BaseTable).NameSpan);
        Assert.Equal("SUMMARY", Single(AstTestEngine.Parse("SUMMARIZE tbl"), TableRefKind.ShowRef).ShowType);
        var show = Single(AstTestEngine.Parse("SHOW tables"), TableRefKind.ShowRef);
        Assert.Equal(("SHOW_UNQUALIFIED", "\"tables\"", (int?)null), (show.ShowType, show.TableName, show.Offset));
    }
}
