using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>node-postgres (npm pg + pg-cursor, pinned in tests/clients/node/package-lock.json).</summary>
[Collection(GatewayCollection.Name)]
public sealed class NodePostgresTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Parameters_of_every_common_type_cursor_batches_100k_rows_multiple_statements_and_errors()
    {
        var node = Path.Combine(ClientProcess.Root, "node");
        var f = (await ClientProcess.RunAsync("node", [Path.Combine(node, "probe.js")], ClientProcess.Environment(gateway), node)).Json();
        Assert.Equal(1000, f.GetProperty("params").GetProperty("n").GetInt32());
        Assert.Equal("4000", f.GetProperty("params").GetProperty("hi").GetString()); // int8 arrives as a string in pg
        var typed = f.GetProperty("typed");
        Assert.Equal(42, typed.GetProperty("i").GetInt32());
        Assert.Equal("héllo", typed.GetProperty("t").GetString());
        Assert.Equal("2024-02-29", typed.GetProperty("d").GetString());
        Assert.Equal(12.5m, decimal.Parse(typed.GetProperty("n").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        // 12,000 European rows up to 48,000, read 100 at a time: 120 Execute(100)+Flush round trips, none larger.
        var cursor = f.GetProperty("cursor");
        Assert.Equal(12_000, cursor.GetProperty("rows").GetInt32());
        Assert.Equal(120, cursor.GetProperty("reads").GetInt32());
        Assert.Equal(100, cursor.GetProperty("maxBatch").GetInt32());
        Assert.Equal(4L * 12000 * 12001 / 2, cursor.GetProperty("sum").GetInt64());

        // Every common type as node-postgres sends it (text; Dates as ISO timestamps with an offset).
        var all = f.GetProperty("all");
        Assert.Equal(42, all.GetProperty("i").GetInt32());
        Assert.Equal("9007199254740993", all.GetProperty("b").GetString());
        Assert.Equal("1234567.125", all.GetProperty("n").GetString());
        Assert.Equal(1.5, all.GetProperty("f").GetDouble());
        Assert.Equal("héllo wörld", all.GetProperty("t").GetString());
        Assert.True(all.GetProperty("o").GetBoolean());
        Assert.Equal("2024-02-29", all.GetProperty("d").GetString());
        Assert.Equal("2024-02-29T13:45:10.123Z", all.GetProperty("tz").GetString());
        Assert.Equal("0001ff", all.GetProperty("by").GetString());
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", all.GetProperty("u").GetString());
        Assert.Equal("""{"a":[1,"x"]}""", all.GetProperty("j").GetRawText());
        Assert.Equal("[1,2,null]", all.GetProperty("ai").GetRawText());
        Assert.Equal("""["a","b c"]""", all.GetProperty("at").GetRawText());
        Assert.Equal([23, 20, 1700, 701, 25, 16, 1082, 1184, 17, 2950, 114, 1007, 1009], f.GetProperty("fields").EnumerateArray().Select(e => e.GetInt32()));
        // 100,000 rows through pg-cursor; an error through pg-cursor rejects at once (Execute/Flush, no Sync).
        Assert.Equal(100_000, f.GetProperty("rows").GetProperty("count").GetInt64());
        Assert.Equal(AsyncpgTests.FirstHundredThousandSum, f.GetProperty("rows").GetProperty("sum").GetInt64());
        Assert.Equal("42703", f.GetProperty("cursorError").GetString());

        var multi = f.GetProperty("multi").EnumerateArray().ToList();
        Assert.Equal(3, multi.Count);
        Assert.All(multi, m => Assert.Equal("SELECT", m[0].GetString()));
        Assert.Equal(1, multi[0][1].GetProperty("a").GetInt32());
        Assert.Equal("two", multi[1][1].GetProperty("b").GetString());
        Assert.Equal(10, multi[2][1].GetProperty("c").GetInt32());

        var error = f.GetProperty("error");
        Assert.Equal("42703", error.GetProperty("code").GetString());
        Assert.Equal("ERROR", error.GetProperty("severity").GetString());
        Assert.Equal("column \"no_such_column\" does not exist", error.GetProperty("message").GetString());
        Assert.Equal("42703", f.GetProperty("hidden").GetString());
        Assert.Equal(3, f.GetProperty("after").GetInt32());
    }
}
