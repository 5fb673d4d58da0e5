using System.Globalization;
using Npgsql;

namespace DataMesh.Gateway.Tests.Admin;

/// <summary>
/// SHOW AUDIT's visibility for producers (every read of their projects' assets, by anyone) and its filters: USER,
/// ASSET, PROJECT, SINCE, UNTIL, each checked against the records they must keep and drop.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class AuditFilterTests(AdminGatewayFixture fixture)
{
    private async Task<string> ReadAsBobAsync(string marker)
    {
        var sql = $"SELECT count(*) AS {marker} FROM mkt_sls_table";
        await using var bob = new NpgsqlConnection(fixture.ConnectionString("bob").Replace("Database=postgres", "Database=ml_research", StringComparison.Ordinal));
        await bob.OpenAsync();
        await using (var command = new NpgsqlCommand(sql, bob)) await command.ExecuteScalarAsync();
        await Task.Delay(1000); // query records are written in batches
        return sql;
    }

    [Fact]
    public async Task A_producer_sees_every_read_of_its_assets_and_no_other_project_does()
    {
        var sql = await ReadAsBobAsync("p" + Guid.NewGuid().ToString("N")[..8]);
        await using var alice = await fixture.OpenAsync("alice"); // owner of marketing
        var seen = await alice.QueryAsync("SHOW AUDIT ASSET marketing.mkt_sls_table LIMIT 10000");
        var read = seen.Single("statement", sql);
        Assert.Equal("bob", read["user"]);
        Assert.Equal("query", read["kind"]);
        Assert.Equal("ml_research", read["project"]);
        Assert.Equal("marketing.mkt_sls_table", read["assets"]);

        await using var dave = await fixture.OpenAsync("dave"); // finance: not a producer of the asset
        Assert.Empty((await dave.QueryAsync("SHOW AUDIT LIMIT 10000")).RowsWhere("statement", sql));
        // bob's own admin records stay his: alice sees none of them, only his reads of her assets.
        Assert.All((await alice.QueryAsync("SHOW AUDIT USER bob LIMIT 10000")).Column("kind"), k => Assert.Equal("query", k));
    }

    [Fact]
    public async Task The_filters_keep_exactly_the_matching_records()
    {
        var sql = await ReadAsBobAsync("f" + Guid.NewGuid().ToString("N")[..8]);
        await using var carol = await fixture.OpenAsync("carol");
        var all = await carol.QueryAsync("SHOW AUDIT LIMIT 10000");
        var record = all.Single("statement", sql);
        var at = DateTimeOffset.Parse((string)record["at"]!, CultureInfo.InvariantCulture);

        Assert.All((await carol.QueryAsync("SHOW AUDIT USER bob LIMIT 10000")).Column("user"), u => Assert.Equal("bob", u));
        Assert.Single((await carol.QueryAsync("SHOW AUDIT USER bob LIMIT 10000")).RowsWhere("statement", sql));
        Assert.All((await carol.QueryAsync("SHOW AUDIT PROJECT ml_research LIMIT 10000")).Column("project"), p => Assert.Equal("ml_research", p));
        var byAsset = await carol.QueryAsync("SHOW AUDIT ASSET marketing.mkt_sls_table LIMIT 10000");
        Assert.All(byAsset.Column("assets"), a => Assert.Contains("marketing.mkt_sls_table", ((string?)a ?? "").Split(", ")));
        Assert.Single(byAsset.RowsWhere("statement", sql));
        Assert.Empty((await carol.QueryAsync("SHOW AUDIT ASSET marketing.campaigns LIMIT 10000")).RowsWhere("statement", sql));

        // SINCE is inclusive, UNTIL exclusive; times are UTC unless they carry an offset.
        var stamp = at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        Assert.Single((await carol.QueryAsync($"SHOW AUDIT SINCE '{stamp}' LIMIT 10000")).RowsWhere("statement", sql));
        Assert.Empty((await carol.QueryAsync($"SHOW AUDIT UNTIL '{stamp}' LIMIT 10000")).RowsWhere("statement", sql));
        var later = at.AddSeconds(1).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
        Assert.Single((await carol.QueryAsync($"SHOW AUDIT USER bob SINCE '{stamp}' UNTIL '{later}' LIMIT 10")).RowsWhere("statement", sql));
    }

    [Theory]
    [InlineData("SHOW AUDIT USER bob USER alice", "42601")]
    [InlineData("SHOW AUDIT LIMIT 5 LIMIT 6", "42601")]
    [InlineData("SHOW AUDIT ASSET marketing", "42601")]
    [InlineData("SHOW AUDIT SINCE yesterday", "42601")]
    [InlineData("SHOW AUDIT SINCE 'yesterday'", "22023")]
    [InlineData("SHOW AUDIT UNTIL '2027-13-45'", "22023")]
    [InlineData("SHOW AUDIT WHERE user = 'bob' OR asset = x.y", "42601")]
    [InlineData("SHOW AUDIT WHERE since '2027-13-45'", "22023")]
    public async Task Malformed_filters_are_refused(string sql, string sqlState)
    {
        await using var carol = await fixture.OpenAsync("carol");
        await carol.FailsAsync(sql, sqlState);
        Assert.NotEmpty((await carol.QueryAsync("SHOW AUDIT LIMIT 1")).Rows); // the connection goes on
    }
}
