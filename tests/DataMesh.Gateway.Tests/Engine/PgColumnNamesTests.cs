using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Engine;

/// <summary>Unaliased result columns get PostgreSQL's names: a call after its function, a cast of a column after the column.</summary>
public sealed class PgColumnNamesTests
{
    [Theory]
    [InlineData("count_star()", "count")]
    [InlineData("now()", "now")]
    [InlineData("\"version\"()", "version")]
    [InlineData("current_database()", "current_database")]
    [InlineData("sum(amount)", "sum")]
    [InlineData("count(DISTINCT region)", "count")]
    [InlineData("lower(concat(a, ')'))", "lower")]
    [InlineData("CAST(item_id AS VARCHAR)", "item_id")]
    [InlineData("TRY_CAST(\"Item\" AS INTEGER)", "Item")]
    [InlineData("CAST((a + 1) AS INTEGER)", "CAST((a + 1) AS INTEGER)")]
    [InlineData("(a + b)", "(a + b)")]
    [InlineData("f(a) + g(b)", "f(a) + g(b)")]
    [InlineData("sum(x) FILTER (WHERE (x > 1))", "sum(x) FILTER (WHERE (x > 1))")]
    [InlineData("region", "region")]
    [InlineData("x)", "x)")]
    [InlineData("f(')')", "f")]
    [InlineData("f(\"a)\")", "f")]
    [InlineData("f('a'')b')", "f")]
    [InlineData("f(", "f(")]
    public void Names(string duckdb, string postgres) => Assert.Equal(postgres, PgColumnNames.For(duckdb));
}

[Collection(GatewayCollection.Name)]
public sealed class PgColumnNamesOverTheWireTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Unaliased_calls_are_named_as_PostgreSQL_names_them_and_aliases_stay()
    {
        await using var connection = new NpgsqlConnection(gateway.ConnectionString("bob", database: "ml_research"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT version(), current_database(), count(*), sum(sales_qty_sld), CAST(item_id AS VARCHAR), max(region) AS top, item_id + 1 " +
            "FROM mkt_sls_table GROUP BY item_id LIMIT 1", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        // An operator expression is ?column? in PostgreSQL (the select list is named from the statement, Sql.Ast.PgColumnNaming).
        Assert.Equal(["version", "current_database", "count", "sum", "item_id", "top", "?column?"], names);
    }
}
