using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>
/// Go's pgx v4 and lib/pq (Debian golang-github-jackc-pgx-v4-dev, golang-github-lib-pq-dev) through tests/clients/go,
/// built offline from /usr/share/gocode (GO111MODULE=off: no module proxy), signed in as bob in ml_research.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class GoClientTests(GatewayFixture gateway)
{
    private async Task<ClientProcess.Result> GoRun(string folder)
    {
        var environment = ClientProcess.Environment(gateway);
        environment["GO111MODULE"] = "off";
        environment["GOPATH"] = "/usr/share/gocode";
        environment["GOFLAGS"] = "";
        // Kept between runs: the first build of pgx takes ~20 s, later ones reuse the cache.
        environment["GOCACHE"] = Path.Combine(Path.GetTempPath(), "datamesh-tests-gocache");
        var dir = Path.Combine(ClientProcess.Root, "go", folder);
        return await ClientProcess.RunAsync("go", ["run", "."], environment, dir);
    }

    [Fact]
    public async Task Pgx_describes_binds_binary_parameters_of_every_common_type_and_streams()
    {
        var f = (await GoRun("pgx")).Json();
        Assert.Equal("15.18", f.GetProperty("server_version").GetString());
        Assert.Equal([20, 25], f.GetProperty("parameters").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["item_id 20", "region 25", "sale_date 1082", "amount 1700"], AsyncpgTests.Pairs(f.GetProperty("columns")));
        var p = f.GetProperty("params");
        Assert.Equal(42, p.GetProperty("i").GetInt32());
        Assert.Equal("9007199254740993", p.GetProperty("b").GetString());
        Assert.Equal("1234567125e-3", p.GetProperty("n").GetString()); // pgtype.Numeric's own text form of 1234567.125
        Assert.Equal(1.5, p.GetProperty("f").GetDouble());
        Assert.Equal("héllo wörld", p.GetProperty("t").GetString());
        Assert.True(p.GetProperty("o").GetBoolean());
        Assert.Equal("2024-02-29", p.GetProperty("d").GetString());
        Assert.Equal("2024-02-29 13:45:10.123456", p.GetProperty("ts").GetString());
        Assert.Equal("2024-02-29T13:45:10.123Z", p.GetProperty("tz").GetString());
        Assert.Equal("0001ff", p.GetProperty("by").GetString());
        Assert.Equal("a0eebc999c0b4ef8bb6d6bb9bd380a11", p.GetProperty("u").GetString());
        Assert.Equal("""{"a":[1,"x"]}""", p.GetProperty("j").GetRawText());
        Assert.Equal("[1,2,3]", p.GetProperty("ai").GetRawText());
        Assert.Equal("""["a","b c"]""", p.GetProperty("at").GetRawText());
        RubyClientTests.AssertRowsAndError(f);
    }

    [Fact]
    public async Task Lib_pq_sends_times_as_iso_text_binds_every_common_type_and_streams()
    {
        var f = (await GoRun("pq")).Json();
        Assert.Equal(["item_id INT8", "region TEXT", "sale_date DATE", "amount NUMERIC"], AsyncpgTests.Pairs(f.GetProperty("columns")));
        Assert.Equal(499, f.GetProperty("since").GetInt32()); // time.Time sent as '2024-01-01 00:00:00Z', compared with a date
        var p = f.GetProperty("params");
        RubyClientTests.AssertCommonParameters(p);
        Assert.Equal("2024-02-29 13:45:10.123456", p.GetProperty("ts").GetString());
        Assert.Equal("2024-02-29T13:45:10.123Z", p.GetProperty("tz").GetString());
        Assert.Equal("0001ff", p.GetProperty("by").GetString());
        Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", p.GetProperty("u").GetString());
        Assert.Equal("""{"a":[1,"x"]}""", p.GetProperty("j").GetRawText().Replace(" ", ""));
        Assert.Equal("[1,2,3]", p.GetProperty("ai").GetRawText());
        Assert.Equal("""["a","b c"]""", p.GetProperty("at").GetRawText());
        RubyClientTests.AssertRowsAndError(f);
    }
}
