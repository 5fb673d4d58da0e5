using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Tests.Admin;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>
/// HELP from the grammar's own command table; a mistyped admin command is 42601 naming the nearest one; producers see
/// who reads their assets (SHOW USAGE, owners only); SHOW AUDIT's WHERE spelling filters as its keyword spelling does.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class HelpAndUsageTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task Help_lists_every_command_and_prints_one_commands_syntax()
    {
        await using var outsider = await fixture.OpenInAsync("dave"); // no admin role needed
        var all = await outsider.QueryAsync("HELP");
        Assert.Equal(["command", "summary"], all.Columns);
        Assert.Equal(AdminParser.Commands.Select(c => c.Phrase), all.Column("command").Cast<string>());
        Assert.Equal("An owner grants a pending request, with its row filter, columns, masks and expiry",
            all.Single("command", "APPROVE SUBSCRIPTION")["summary"]);

        var one = await outsider.QueryAsync("help approve subscription");
        Assert.Equal(["command", "help"], one.Columns);
        Assert.Equal(("APPROVE SUBSCRIPTION", "An owner grants a pending request, with its row filter, columns, masks and expiry"),
            ((string?)one.Rows[0][0], (string?)one.Rows[0][1]));
        Assert.Equal(AdminParser.Commands.Single(c => c.Phrase == "APPROVE SUBSCRIPTION").Syntax.Split('\n'),
            one.Rows.Skip(1).Select(r => (string)r[1]!));
        Assert.Equal("APPROVE SUBSCRIPTION id", one.Rows[1][1]);

        var typo = await outsider.FailsAsync("HELP APPROVE SUBSCRIPTON", "42704");
        Assert.Equal("no admin command \"APPROVE SUBSCRIPTON\"", typo.MessageText);
        Assert.Equal("did you mean HELP APPROVE SUBSCRIPTION?", typo.Hint);
        Assert.Equal(6, typo.Position);
    }

    [Theory]
    [InlineData("SHOW ASSETS", "ASSETS", "SHOW ASSETS IN PROJECT")]
    [InlineData("SHOW SUBSCRIPTION", "SUBSCRIPTION", "SHOW SUBSCRIPTION REQUESTS")]
    [InlineData("DROP ASET marketing.campaigns", "ASET", "DROP ASSET")]
    [InlineData("ALTER SUBSCRIPTON 1 SET EXPIRES NEVER", "SUBSCRIPTON", "ALTER SUBSCRIPTION")]
    [InlineData("CREATE PROJEKT p ACCOUNT a PROFILE x", "PROJEKT", "CREATE PROJECT")]
    public async Task A_mistyped_admin_command_names_the_nearest_one(string sql, string at, string nearest)
    {
        await using var carol = await fixture.OpenInAsync("carol");
        var e = await carol.FailsAsync(sql, "42601");
        Assert.Equal($"syntax error at or near \"{at}\": did you mean {nearest}?", e.MessageText);
        Assert.Equal($"HELP {nearest} shows its syntax; HELP lists every admin command", e.Hint);
        Assert.Equal(sql.IndexOf(at, StringComparison.Ordinal) + 1, e.Position);
        // SQL's own statements and settings are not taken for admin commands.
        Assert.Equal("UTC", (await carol.QueryAsync("SHOW TimeZone")).Rows[0][0]);
        var setting = await carol.FailsAsync("SHOW no_such_setting", "42704");
        Assert.Equal("unrecognized configuration parameter \"no_such_setting\"", setting.MessageText);
    }

    [Fact]
    public async Task Owners_see_who_reads_their_assets_and_no_one_else_does()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenInAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
        await using (var consumer = await fixture.OpenInAsync(s.Contributor, s.Consumer))
        {
            await consumer.QueryAsync($"SELECT * FROM {s.AssetName}");
            await consumer.QueryAsync($"SELECT region FROM {s.AssetName}");
        }
        AdminRows usage;
        var until = DateTime.UtcNow.AddSeconds(10);
        do
        {
            usage = await owner.QueryAsync($"SHOW USAGE OF ASSET {s.AssetName}");
            if (usage.Count > 0 && (long)usage.Get(0, "reads")! >= 2) break;
            await Task.Delay(100); // query records are written in batches
        }
        while (DateTime.UtcNow < until);
        Assert.Equal(["user", "project", "reads", "rows", "errors", "first_read", "last_read"], usage.Columns);
        var row = usage.Single("user", s.Contributor);
        Assert.Equal((s.Consumer, 2L, 4L, 0L), ((string?)row["project"], (long?)row["reads"], (long?)row["rows"], (long?)row["errors"]));
        Assert.Empty((await owner.QueryAsync($"SHOW USAGE OF ASSET {s.AssetName} SINCE '2999-01-01'")).Rows);

        foreach (var user in new[] { s.ProducerContributor, s.ProducerViewer, s.Contributor, s.Outsider })
        {
            await using var c = await fixture.OpenInAsync(user);
            var e = await c.FailsAsync($"SHOW USAGE OF ASSET {s.AssetName}", "42501");
            Assert.StartsWith($"permission denied to see the usage of assets of project \"{s.Producer}\"", e.MessageText);
        }
        await owner.FailsAsync($"SHOW USAGE OF ASSET {s.AssetName} SINCE 'yesterday'", "22023");
    }

    [Fact]
    public async Task Show_audit_where_filters_as_the_keyword_spelling_does()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using (var owner = await fixture.OpenInAsync(s.Owner)) await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
        await using var carol = await fixture.OpenInAsync("carol");
        var where = await carol.QueryAsync($"SHOW AUDIT WHERE user = {s.Owner} AND asset = {s.AssetName} AND since '2000-01-01' LIMIT 50");
        var keywords = await carol.QueryAsync($"SHOW AUDIT USER {s.Owner} ASSET {s.AssetName} SINCE '2000-01-01' LIMIT 50");
        Assert.Equal(keywords.Column("id"), where.Column("id"));
        Assert.Equal(["APPROVE SUBSCRIPTION"], where.Column("command").Cast<string>().Distinct());
        Assert.Equal(where.Column("id"), (await carol.QueryAsync($"SHOW AUDIT WHERE asset = '{s.AssetName}' AND user = '{s.Owner}'")).Column("id"));
        Assert.Empty((await carol.QueryAsync($"SHOW AUDIT WHERE user = {s.Owner} AND until '2000-01-01'")).Rows);
        await carol.FailsAsync($"SHOW AUDIT WHERE user = {s.Owner} AND user = carol", "42601");
        await carol.FailsAsync($"SHOW AUDIT WHERE user = {s.Owner} USER carol", "42601");
    }
}
