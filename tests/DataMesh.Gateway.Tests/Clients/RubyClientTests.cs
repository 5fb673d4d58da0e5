using System.Text.Json;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>
/// ruby-pg, ActiveRecord 6.1 and Sequel 5 (Debian ruby-pg, ruby-activerecord, ruby-sequel) through tests/clients/ruby,
/// signed in as bob in ml_research: connect, metadata, parameters of every common type, 100,000 rows, an error.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RubyClientTests(GatewayFixture gateway)
{
    private Task<ClientProcess.Result> Ruby(string script) => ClientProcess.ProbeAsync(gateway, "ruby", "ruby", script);

    [Fact]
    public async Task Ruby_pg_basic_type_maps_describe_prepared_single_row_mode_and_an_error()
    {
        var f = (await Ruby("pg_probe.rb")).Json();
        Assert.Equal(150018, f.GetProperty("server_version").GetInt32());
        var p = f.GetProperty("params");
        AssertCommonParameters(p);
        Assert.Equal("2024-02-29 13:45:10.123456", p.GetProperty("ts").GetString());
        Assert.Equal("0001ff", p.GetProperty("by").GetString());
        Assert.Equal("[1,2,null]", p.GetProperty("ai").GetRawText());
        Assert.Equal("""["a","b c"]""", p.GetProperty("at").GetRawText());
        Assert.Equal(["integer", "bigint", "numeric", "double precision", "text", "boolean", "date", "timestamp without time zone",
            "bytea", "integer[]", "text[]"], PsycopgTests.Strings(f.GetProperty("types")));
        // PQdescribePrepared of SELECT $1 AS x, 2 AS y: one text parameter and both columns.
        var d = f.GetProperty("describe");
        Assert.Equal(1, d.GetProperty("nparams").GetInt32());
        Assert.Equal(25, d.GetProperty("param").GetInt32());
        Assert.Equal(["x", "y"], PsycopgTests.Strings(d.GetProperty("fields")));
        Assert.Equal([25, 23], d.GetProperty("types").EnumerateArray().Select(e => e.GetInt32()));
        AssertRowsAndError(f);
    }

    [Fact]
    public async Task Activerecord_reads_its_model_binds_prepared_parameters_and_raises_statement_invalid()
    {
        var f = (await Ruby("activerecord_probe.rb")).Json();
        Assert.Equal(150018, f.GetProperty("server_version").GetInt32());
        Assert.Equal(["item_id bigint", "sales_qty_sld integer", "region text", "sale_date date", "amount numeric(12,2)"],
            AsyncpgTests.Pairs(f.GetProperty("columns")));
        Assert.Equal(1000, f.GetProperty("count").GetInt32());
        Assert.Equal(["4", "Europe", "2023-05-05", "189.16"], PsycopgTests.Strings(f.GetProperty("first")));
        var p = f.GetProperty("params");
        Assert.Equal(["42", "9007199254740993", "1234567.125", "1.5", "héllo wörld", "true", "2024-02-29", "2024-02-29 13:45:10.123456"],
            new[] { "i", "b", "n", "f", "t", "o", "d", "ts" }.Select(k => p.GetProperty(k).GetString()!));
        AssertRowsAndError(f);
    }

    [Fact]
    public async Task Sequel_parses_the_schema_binds_prepared_variables_and_pages_through_a_cursor()
    {
        var f = (await Ruby("sequel_probe.rb")).Json();
        Assert.Equal(150018, f.GetProperty("server_version").GetInt32());
        Assert.Equal(["item_id bigint integer", "sales_qty_sld integer integer", "region text string", "sale_date date date",
            "amount numeric(12,2) decimal"], AsyncpgTests.Pairs(f.GetProperty("columns")));
        Assert.Equal(["mkt_sls_table"], PsycopgTests.Strings(f.GetProperty("tables")));
        Assert.Equal(1000, f.GetProperty("count").GetInt32());
        var p = f.GetProperty("params");
        AssertCommonParameters(p);
        Assert.Equal("2024-02-29 13:45:10.123456", p.GetProperty("ts").GetString());
        Assert.Equal("0001ff", p.GetProperty("by").GetString());
        // Values Sequel writes into the SQL text itself (its bytea literal '\x…'::bytea is the dialect layer's: issue 16).
        var literal = f.GetProperty("literal");
        Assert.Equal(42, literal.GetProperty("i").GetInt32());
        Assert.Equal("1234567.125", literal.GetProperty("n").GetString());
        Assert.Equal("2024-02-29", literal.GetProperty("d").GetString());
        Assert.Equal("2024-02-29 13:45:10.123456", literal.GetProperty("ts").GetString());
        AssertRowsAndError(f);
    }

    /// <summary>100,000 rows in order (the first 100,000 European item ids), then 42703 and a working connection.</summary>
    /// <summary>The integer, bigint, numeric, double, text, boolean and date parameters every probe binds, as the clients
    /// that return them in their natural JSON form report them.</summary>
    internal static void AssertCommonParameters(JsonElement p)
    {
        Assert.Equal(42, p.GetProperty("i").GetInt32());
        Assert.Equal("9007199254740993", p.GetProperty("b").GetString());
        Assert.Equal("1234567.125", p.GetProperty("n").GetString());
        Assert.Equal(1.5, p.GetProperty("f").GetDouble());
        Assert.Equal("héllo wörld", p.GetProperty("t").GetString());
        Assert.True(p.GetProperty("o").GetBoolean());
        Assert.Equal("2024-02-29", p.GetProperty("d").GetString());
    }

    internal static void AssertRowsAndError(JsonElement f, string error = "42703")
    {
        Assert.Equal(100_000, f.GetProperty("rows").GetProperty("count").GetInt64());
        Assert.Equal(AsyncpgTests.FirstHundredThousandSum, f.GetProperty("rows").GetProperty("sum").GetInt64());
        Assert.Equal(error, f.GetProperty("error").GetString());
        Assert.Equal("1", f.GetProperty("after").ToString());
    }
}
