using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// The workspace blueprint's database: owners and contributors derive tables into it with CREATE TABLE workspace.t
/// AS …, INSERT INTO and DROP TABLE, viewers only read it, and the query part of every write is governed, so a derived
/// table never holds more than the project may read. Each test builds its own project (its own workspace file).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class WorkspaceTests(GatewayFixture gateway)
{
    [Fact]
    [Adversarial(AttackClass.Workspace)]
    public async Task Derived_tables_hold_only_what_the_grant_allows()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "ws");
        await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Europe') EXCLUDE COLUMNS (customer_email)");
        await using var s = await scenario.OpenAsync();
        var granted = await s.CountAsync("SELECT count(*) FROM mkt_sls_table");

        await using (var raw = await RawClient.ConnectAsync(gateway))
        {
            await raw.SendAsync(RawClient.StartupMessage(scenario.User, scenario.Project));
            await RawLogin.AuthenticateAsync(raw, scenario.User, scenario.Password);
            await raw.SendAsync(RawClient.Query("CREATE TABLE workspace.europe AS SELECT * FROM mkt_sls_table WHERE item_id < 200000"));
            var complete = Assert.Single(await raw.ReadUntilAsync('Z'), m => m.Type == 'C');
            var expected = await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE item_id < 200000");
            Assert.Equal($"SELECT {expected}", ExtendedMessages.Text(complete.Payload)); // as PostgreSQL tags CREATE TABLE AS
        }
        var (columns, _) = await s.TableAsync("SELECT * FROM workspace.europe LIMIT 1");
        // information_schema.tables lists the workspace's tables under schema workspace (the portal's project page reads it).
        var (_, listed) = await s.TableAsync("SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema = 'workspace'");
        Assert.Equal([["workspace", "europe", "BASE TABLE"]], listed.Select(r => r.Select(v => v?.ToString()).ToArray()));
        Assert.Equal(["item_id", "sales_qty_sld", "region", "sale_date", "amount"], columns);
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM workspace.europe WHERE region <> 'Europe'"));
        var first = await s.CountAsync("SELECT count(*) FROM workspace.europe");

        await s.RowsAsync("INSERT INTO workspace.europe SELECT * FROM marketing.mkt_sls_table WHERE item_id >= 200000");
        Assert.Equal(granted, await s.CountAsync("SELECT count(*) FROM workspace.europe"));
        Assert.True(first < granted);

        // A derived table can be joined back with the asset, and the hidden column is still nowhere.
        Assert.Equal(granted, await s.CountAsync("SELECT count(*) FROM workspace.europe w JOIN mkt_sls_table m USING (item_id)"));
        await s.ErrorAsync("SELECT customer_email FROM workspace.europe", "42703");

        await s.RowsAsync("DROP TABLE workspace.europe");
        await s.ErrorAsync("SELECT count(*) FROM workspace.europe", "42P01");
    }

    [Theory]
    [Adversarial(AttackClass.Workspace)]
    [InlineData("CREATE TABLE workspace.t AS SELECT * FROM read_csv('/etc/passwd')", "42501")]
    [InlineData("CREATE TABLE workspace.t AS SELECT * FROM marketing.campaigns", "42501")]
    [InlineData("CREATE TABLE workspace.t AS SELECT customer_email FROM mkt_sls_table", "42703")]
    [InlineData("CREATE TABLE main.t AS SELECT 1", "42501")]
    [InlineData("CREATE TABLE t AS SELECT 1", "42501")]
    [InlineData("INSERT INTO workspace.t (a, read_csv('/etc/passwd')) SELECT 1", "42601")]
    [InlineData("CREATE TABLE workspace.t AS SELECT 1; ATTACH '/tmp/x.db' AS x", "42501")]
    [InlineData("COPY workspace.t TO '/tmp/out.csv'", "42501")]
    [InlineData("DETACH workspace", "42501")]
    public async Task Only_governed_writes_reach_the_workspace(string sql, string state)
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "wsbad");
        await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Europe') EXCLUDE COLUMNS (customer_email)");
        await using var s = await scenario.OpenAsync();
        var e = await s.ErrorAsync(sql, state, "42601", "0A000");
        Assert.DoesNotContain(gateway.Host.DataDirectory, e.MessageText + e.Detail);
        await s.RowsAsync("CREATE TABLE workspace.still_works AS SELECT 1 AS x"); // the session and its workspace survive
        Assert.Equal(1L, await s.CountAsync("SELECT count(*) FROM workspace.still_works"));
    }

    [Fact]
    [Adversarial(AttackClass.Workspace)]
    public async Task Viewers_read_the_workspace_but_cannot_write_it()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "wsview");
        await using (var writer = await scenario.OpenAsync())
            await writer.RowsAsync("CREATE TABLE workspace.shared AS SELECT range AS n FROM range(10)");
        var viewer = "v_" + scenario.Project;
        await GrantScenario.AdminAsync(gateway, "carol", $"CREATE USER {viewer} PASSWORD 'viewer_pw'");
        await GrantScenario.AdminAsync(gateway, "carol", $"ADD MEMBER {viewer} TO PROJECT {scenario.Project} AS VIEWER");
        await using var s = await GovernedSession.OpenAsync(gateway, viewer, scenario.Project, "viewer_pw");
        Assert.Equal(10L, await s.CountAsync("SELECT count(*) FROM workspace.shared"));
        var e = await s.ErrorAsync("INSERT INTO workspace.shared SELECT 11", "42501");
        Assert.Contains("viewers may only read", e.MessageText);
        await s.ErrorAsync("DROP TABLE workspace.shared", "42501");
        Assert.Equal(10L, await s.CountAsync("SELECT count(*) FROM workspace.shared"));
    }

    [Fact]
    [Adversarial(AttackClass.Workspace)]
    public async Task A_new_grant_keeps_the_workspace_and_the_written_tables()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "wsgrant");
        await using var s = await scenario.OpenAsync();
        await s.RowsAsync("CREATE TABLE workspace.before AS SELECT 42 AS answer");
        await scenario.SubscribeAsync("campaigns", ""); // the grants change: the project's instance is rebuilt
        Assert.True(await s.CountAsync("SELECT count(*) FROM marketing.campaigns") > 0);
        Assert.Equal(1L, await s.CountAsync("SELECT count(*) FROM workspace.before"));
        await s.RowsAsync("INSERT INTO workspace.before SELECT 43");
        Assert.Equal(2L, await s.CountAsync("SELECT count(*) FROM workspace.before"));
    }
}
