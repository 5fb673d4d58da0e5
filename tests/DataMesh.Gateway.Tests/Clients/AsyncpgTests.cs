using System.Text.Json;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>
/// asyncpg and SQLAlchemy's asyncio extension over it (Debian python3-asyncpg, python3-sqlalchemy) through
/// tests/clients/python, signed in as bob in ml_research: connect, metadata, every common parameter type in asyncpg's
/// binary codecs, 100,000 rows, and errors that come back (asyncpg waits on Parse/Describe/Flush before any Sync).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AsyncpgTests(GatewayFixture gateway)
{
    /// <summary>Sum of item_id over the first 100,000 European rows (the multiples of 4).</summary>
    internal const long FirstHundredThousandSum = 4L * 100_000 * 100_001 / 2;

    [Fact]
    public async Task Asyncpg_connects_introspects_binds_every_common_type_streams_and_gets_errors_back()
    {
        var f = (await ClientProcess.PythonAsync(gateway, "asyncpg_probe.py")).Json();
        Assert.Equal("15.0", f.GetProperty("server_version").GetString());
        Assert.Equal(["int8", "text"], PsycopgTests.Strings(f.GetProperty("parameters")));
        Assert.Equal(["item_id int8", "region text", "sale_date date", "amount numeric"], Pairs(f.GetProperty("columns")));
        // Describe of an untyped $1 in the select list gives both columns, as execution does.
        var untyped = f.GetProperty("untyped");
        Assert.Equal(["text"], PsycopgTests.Strings(untyped.GetProperty("parameters")));
        Assert.Equal(["x text", "y int4"], Pairs(untyped.GetProperty("columns")));
        Assert.Equal(["a", "2"], PsycopgTests.Strings(untyped.GetProperty("row")));
        Assert.Equal(499, f.GetProperty("by_date").GetInt64());

        var p = f.GetProperty("params");
        Assert.Equal("42", p.GetProperty("i").GetString());
        Assert.Equal("9007199254740993", p.GetProperty("b").GetString());
        Assert.Equal("1234567.125", p.GetProperty("n").GetString());
        Assert.Equal("1.5", p.GetProperty("f").GetString());
        Assert.Equal("héllo wörld", p.GetProperty("t").GetString());
        Assert.True(p.GetProperty("o").GetBoolean());
        Assert.Equal("2024-02-29", p.GetProperty("d").GetString());
        Assert.Equal("2024-02-29 13:45:10.123456", p.GetProperty("ts").GetString());
        Assert.Equal("2024-02-29 13:45:10.123000+00:00", p.GetProperty("tz").GetString());
        Assert.Equal("00010203ff", p.GetProperty("by").GetString());
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", p.GetProperty("u").GetString());
        Assert.Equal("""{"a":[1,"x"]}""", p.GetProperty("j").GetRawText().Replace(" ", ""));
        Assert.Equal("[1,2,null]", p.GetProperty("ai").GetRawText().Replace(" ", ""));
        Assert.Equal("""["a","b c"]""", p.GetProperty("at").GetRawText().Replace(", ", ","));

        var rows = f.GetProperty("rows");
        Assert.Equal(100_000, rows.GetProperty("count").GetInt64());
        Assert.Equal(4, rows.GetProperty("first").GetInt64());
        Assert.Equal(400_000, rows.GetProperty("last").GetInt64());
        Assert.Equal(FirstHundredThousandSum, rows.GetProperty("sum").GetInt64());
        Assert.Equal([4L, 8, 12], f.GetProperty("cursor").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("42501", f.GetProperty("refused").GetString());
        Assert.Equal("42601", f.GetProperty("syntax").GetString());
        Assert.Equal("42501", f.GetProperty("refused_prepare").GetString());
        Assert.Equal(1, f.GetProperty("after").GetInt32());
    }

    [Fact]
    public async Task Sqlalchemy_async_reflects_binds_streams_and_recovers_from_an_error()
    {
        var f = (await ClientProcess.PythonAsync(gateway, "sqlalchemy_async_probe.py")).Json();
        Assert.Equal(["item_id BIGINT", "sales_qty_sld INTEGER", "region TEXT", "sale_date DATE", "amount NUMERIC(12, 2)"],
            Pairs(f.GetProperty("columns")));
        Assert.Equal(["mkt_sls_table"], PsycopgTests.Strings(f.GetProperty("tables")));
        var p = f.GetProperty("params");
        Assert.Equal(42, p.GetProperty("i").GetInt32());
        Assert.Equal("9007199254740993", p.GetProperty("b").GetString());
        Assert.Equal("1234567.125", p.GetProperty("n").GetString());
        Assert.Equal("1.5", p.GetProperty("f").GetString());
        Assert.Equal("héllo wörld", p.GetProperty("t").GetString());
        Assert.True(p.GetProperty("o").GetBoolean());
        Assert.Equal("2024-02-29", p.GetProperty("d").GetString());
        Assert.Equal("2024-02-29 13:45:10.123456", p.GetProperty("ts").GetString());
        Assert.Equal("0001ff", p.GetProperty("by").GetString());
        Assert.Equal("""{"a":[1,"x"]}""", f.GetProperty("json").GetRawText().Replace(" ", ""));
        Assert.Equal(100_000, f.GetProperty("rows").GetProperty("count").GetInt64());
        Assert.Equal(FirstHundredThousandSum, f.GetProperty("rows").GetProperty("sum").GetInt64());
        Assert.Equal("42703", f.GetProperty("error").GetString());
        Assert.Equal(1, f.GetProperty("after").GetInt32());
    }

    internal static string[] Pairs(JsonElement array) =>
        array.EnumerateArray().Select(e => string.Join(' ', e.EnumerateArray().Select(x => x.ToString()))).ToArray();
}
