using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>
/// postgres.js and Sequelize (npm postgres, sequelize over pg; pinned in tests/clients/node/package-lock.json),
/// signed in as bob in ml_research: connect, metadata, parameters of every common type, 100,000 rows, an error.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class NodeClientTests(GatewayFixture gateway)
{
    private Task<ClientProcess.Result> Node(string script) => ClientProcess.ProbeAsync(gateway, "node", "node", script);

    [Fact]
    public async Task Postgres_js_types_parameters_by_describe_reads_a_cursor_and_rejects_on_error()
    {
        var f = (await Node("postgres_js_probe.js")).Json();
        Assert.Equal(["item_id 20", "region 25", "sale_date 1082", "amount 1700"], AsyncpgTests.Pairs(f.GetProperty("columns")));
        Assert.Equal(["4", "Europe", "2023-05-05", "189.16"], PsycopgTests.Strings(f.GetProperty("first")));
        Assert.Equal(499, f.GetProperty("since").GetInt32()); // a Date parameter, sent as an ISO timestamp, compared with a date
        var p = f.GetProperty("params");
        RubyClientTests.AssertCommonParameters(p);
        Assert.Equal("2024-02-29T13:45:10.123Z", p.GetProperty("tz").GetString());
        Assert.Equal("0001ff", p.GetProperty("by").GetString());
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", p.GetProperty("u").GetString());
        Assert.Equal("""{"a":[1,"x"]}""", p.GetProperty("j").GetRawText());
        Assert.Equal("[1,2,3]", p.GetProperty("ai").GetRawText());
        Assert.Equal("""["a","b c"]""", p.GetProperty("at").GetRawText());
        RubyClientTests.AssertRowsAndError(f);
    }

    [Fact]
    public async Task Sequelize_describes_the_table_binds_parameters_and_raises_a_database_error()
    {
        var f = (await Node("sequelize_probe.js")).Json();
        // describeTable joins information_schema.columns with pg_statio_all_tables and pg_attribute.
        Assert.Equal(["amount NUMERIC True", "item_id BIGINT True", "region TEXT True", "sale_date DATE True", "sales_qty_sld INTEGER True"],
            AsyncpgTests.Pairs(f.GetProperty("describe")).Order(StringComparer.Ordinal));
        Assert.Equal(1000, f.GetProperty("count").GetInt32());
        Assert.Equal(["4", "Europe", "2023-05-05", "189.16"], PsycopgTests.Strings(f.GetProperty("first")));
        var p = f.GetProperty("params");
        RubyClientTests.AssertCommonParameters(p);
        Assert.Equal("2024-02-29T13:45:10.123Z", p.GetProperty("tz").GetString());
        Assert.Equal("0001ff", p.GetProperty("by").GetString());
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", p.GetProperty("u").GetString());
        RubyClientTests.AssertRowsAndError(f);
    }
}
