using DataMesh.Gateway.Sql.Statements;
using static DataMesh.Gateway.Tests.Sql.Statements.GrammarAssert;

namespace DataMesh.Gateway.Tests.Sql.Statements;

/// <summary>PREPARE, EXECUTE and DEALLOCATE read once in Sql; syntax errors with PostgreSQL 15's message and position.</summary>
public sealed class PrepareGrammarTests
{
    [Fact]
    public void Prepare_reads_the_name_the_type_names_where_they_stand_and_the_body()
    {
        var prepare = Accepted<SqlPrepareStatement>("PREPARE Q (pg_catalog . oid, character varying(10), int[]) AS SELECT $1;");
        Assert.Equal("q", prepare.Name);
        Assert.Equal([new TypeNameAt("pg_catalog.oid", 12), new TypeNameAt("character varying(10)", 30), new TypeNameAt("int[]", 53)], prepare.ParameterTypes);
        Assert.Equal(("SELECT $1", "SELECT"), (prepare.Body.Text, prepare.Body.Tokens[0].Text));
        var plain = Accepted<SqlPrepareStatement>("prepare \"Q\" as select 1");
        Assert.Equal(("Q", 0, "select 1"), (plain.Name, plain.ParameterTypes.Count, plain.Body.Text));
    }

    [Fact]
    public void Execute_reads_constants_as_text()
    {
        var execute = Accepted<SqlExecuteStatement>("EXECUTE q ('16401'::oid, -2, +3.5, NULL, TRUE, false, 'it''s')");
        Assert.Equal("q", execute.Name);
        Assert.Equal(["16401", "-2", "3.5", null, "true", "false", "it's"], execute.Arguments);
        Assert.Empty(Accepted<SqlExecuteStatement>("EXECUTE q").Arguments);
    }

    [Fact]
    public void Deallocate_reads_a_name_or_all()
    {
        Assert.Equal("q", Accepted<DeallocateStatement>("DEALLOCATE PREPARE Q").Name);
        Assert.Null(Accepted<DeallocateStatement>("DEALLOCATE ALL").Name);
        Assert.Null(Accepted<DeallocateStatement>("DEALLOCATE PREPARE ALL").Name);
        Assert.Equal("prepare", Accepted<DeallocateStatement>("DEALLOCATE PREPARE").Name); // as PostgreSQL reads it
    }

    [Theory]
    [InlineData("PREPARE", "syntax error at end of input", 8)]
    [InlineData("PREPARE;", "syntax error at or near \";\"", 8)]
    [InlineData("PREPARE p", "syntax error at end of input", 10)]
    [InlineData("PREPARE p AS", "syntax error at end of input", 13)]
    [InlineData("PREPARE p(int", "syntax error at end of input", 14)]
    [InlineData("PREPARE p (int AS SELECT 1", "syntax error at or near \"AS\"", 16)]
    [InlineData("PREPARE p (int) SELECT 1", "syntax error at or near \"SELECT\"", 17)]
    [InlineData("PREPARE 1 AS SELECT 1", "syntax error at or near \"1\"", 9)]
    [InlineData("PREPARE p () AS SELECT 1", "syntax error at or near \")\"", 12)]
    [InlineData("PREPARE p (int,) AS SELECT 1", "syntax error at or near \")\"", 16)]
    [InlineData("EXECUTE", "syntax error at end of input", 8)]
    [InlineData("EXECUTE p(", "syntax error at end of input", 11)]
    [InlineData("EXECUTE p(1", "syntax error at end of input", 12)]
    [InlineData("EXECUTE p x", "syntax error at or near \"x\"", 11)]
    [InlineData("EXECUTE p (1,)", "syntax error at or near \")\"", 14)]
    [InlineData("EXECUTE p (1 2)", "syntax error at or near \"2\"", 14)]
    [InlineData("EXECUTE p ()", "syntax error at or near \")\"", 12)]
    [InlineData("DEALLOCATE", "syntax error at end of input", 11)]
    [InlineData("DEALLOCATE a b", "syntax error at or near \"b\"", 14)]
    [InlineData("DEALLOCATE ALL x", "syntax error at or near \"x\"", 16)]
    public void Malformed_prepare_execute_and_deallocate_are_syntax_errors_where_postgresql_points(string sql, string message, int position) =>
        Assert.Equal(("42601", message, position), Refusal(sql));

    /// <summary>PostgreSQL evaluates expressions here; the gateway would have to evaluate them outside governance.</summary>
    [Theory]
    [InlineData("EXECUTE p (now())", "now", 12)]
    [InlineData("EXECUTE p (1+1)", "+", 13)]
    [InlineData("EXECUTE p ($1)", "$1", 12)]
    public void Execute_refuses_an_argument_that_is_not_a_constant(string sql, string near, int position) =>
        Assert.Equal(("0A000", $"EXECUTE takes constants as its arguments through the gateway, not \"{near}\"", position), Refusal(sql));
}
