using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Tests.Sql.Ast;

public sealed class SqlAstErrorTests
{
    [Fact]
    public void Parse_error_position_is_a_char_offset()
    {
        // DuckDB reports 18 here: code points, not UTF-8 bytes (24) nor UTF-16 chars (19).
        const string sql = "SELECT 'é€😀' FROM WHERE";
        var e = Assert.Throws<SqlAstException>(() => AstTestEngine.Parse(sql));
        Assert.Equal("parser", e.ErrorType);
        Assert.Equal("SYNTAX_ERROR", e.ErrorSubtype);
        Assert.Equal(sql.IndexOf("WHERE", StringComparison.Ordinal), e.Position);
        Assert.Contains("WHERE", e.Message);
    }

    [Theory]
    [InlineData("INSERT INTO t VALUES (1)")]
    [InlineData("PIVOT tbl ON x USING sum(y)")]
    [InlineData("CREATE TABLE x (a INT)")]
    public void Non_select_statements_are_refused(string sql)
    {
        var e = Assert.Throws<SqlAstException>(() => AstTestEngine.Parse(sql));
        Assert.Equal("not implemented", e.ErrorType);
        Assert.Null(e.Position);
    }

    [Theory]
    [InlineData("SELECT 1; SELECT 2")]
    [InlineData("")]
    [InlineData("-- nothing")]
    public void Not_exactly_one_statement_is_refused(string sql) =>
        Assert.Throws<SqlAstException>(() => AstTestEngine.Parse(sql));

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"error\":false}")]
    public void Malformed_json_is_refused(string json) =>
        Assert.Throws<SqlAstException>(() => SqlAst.Parse(json, "SELECT 1"));

    [Fact]
    public void A_table_name_that_the_text_does_not_show_is_refused()
    {
        const string sql = "SELECT * FROM tbl";
        var json = AstTestEngine.Json(sql).Replace("\"table_name\":\"tbl\"", "\"table_name\":\"other\"", StringComparison.Ordinal);
        var e = Assert.Throws<SqlAstException>(() => SqlAst.Parse(json, sql));
        Assert.Equal(14, e.Position);
    }

    [Fact]
    public void A_schema_the_text_does_not_show_is_refused()
    {
        const string sql = "SELECT * FROM tbl";
        var json = AstTestEngine.Json(sql).Replace("\"schema_name\":\"\"", "\"schema_name\":\"main\"", StringComparison.Ordinal);
        Assert.Throws<SqlAstException>(() => SqlAst.Parse(json, sql));
    }

    [Fact]
    public void A_location_inside_a_character_is_refused()
    {
        const string sql = "SELECT 'é', x FROM tbl";
        var json = AstTestEngine.Json(sql).Replace("\"query_location\":7", "\"query_location\":9", StringComparison.Ordinal); // inside 'é' 
        Assert.Throws<SqlAstException>(() => SqlAst.Parse(json, "SELECT 'é', x FROM tbl"));
    }

    [Fact]
    public void Unknown_table_ref_kinds_are_reported_as_unknown()
    {
        const string sql = "SELECT * FROM tbl";
        var json = AstTestEngine.Json(sql).Replace("\"type\":\"BASE_TABLE\"", "\"type\":\"NEW_KIND\"", StringComparison.Ordinal);
        var q = SqlAst.Parse(json, sql);
        Assert.Equal(TableRefKind.Unknown, q.TableReferences.Single().Kind);
        Assert.Contains("type:NEW_KIND", q.UnknownKinds);
    }

    [Fact]
    public void Unknown_expression_classes_are_reported()
    {
        const string sql = "SELECT a FROM tbl";
        var json = AstTestEngine.Json(sql).Replace("\"class\":\"COLUMN_REF\"", "\"class\":\"NEW_CLASS\"", StringComparison.Ordinal);
        Assert.Contains("class:NEW_CLASS", SqlAst.Parse(json, sql).UnknownKinds);
    }
}
