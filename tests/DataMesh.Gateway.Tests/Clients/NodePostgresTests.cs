using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>node-postgres (npm pg + pg-cursor, pinned in tests/clients/node/package-lock.json).</summary>
[Collection(GatewayCollection.Name)]
public sealed class NodePostgresTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Parameters_cursor_batches_multiple_statements_and_a_clean_error()
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
