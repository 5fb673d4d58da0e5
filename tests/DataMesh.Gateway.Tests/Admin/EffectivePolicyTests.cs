using Npgsql;

namespace DataMesh.Gateway.Tests.Admin;

/// <summary>
/// SHOW EFFECTIVE POLICY FOR PROJECT … ON proj.asset through Npgsql: who may ask, the demo grant, masks, expiry and
/// revocation, and that the columns it calls visible are exactly the ones a consumer's SELECT * returns.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class EffectivePolicyTests(AdminGatewayFixture fixture)
{
    private static string Show(string consumer, string asset) => $"SHOW EFFECTIVE POLICY FOR PROJECT {consumer} ON {asset}";

    /// <summary>The per-column rows (column is set); the policy rows that follow have column and type NULL.</summary>
    private static Dictionary<string, (string? Type, string? Access, string? GrantedBy)> Columns(AdminRows rows) =>
        rows.Rows.Where(r => r[0] is not null).ToDictionary(r => (string)r[0]!, r => ((string?)r[1], (string?)r[2], (string?)r[3]));

    private static List<(string? Access, string? GrantedBy)> PolicyRows(AdminRows rows) =>
        rows.Rows.Where(r => r[0] is null).Select(r => ((string?)r[2], (string?)r[3])).ToList();

    [Fact]
    public async Task Demo_subscription_1_shows_the_european_rows_without_email()
    {
        await using var alice = await fixture.OpenAsync("alice");
        var rows = await alice.QueryAsync(Show("ml_research", "marketing.mkt_sls_table"));
        Assert.Equal(["column", "type", "access", "granted_by"], rows.Columns);
        Assert.Equal(["item_id", "sales_qty_sld", "region", "sale_date", "amount", "customer_email", null, null], rows.Column("column"));
        var columns = Columns(rows);
        foreach (var visible in new[] { "item_id", "sales_qty_sld", "region", "sale_date", "amount" })
            Assert.Equal(("visible", "subscription 1"), (columns[visible].Access, columns[visible].GrantedBy));
        Assert.Equal(("VARCHAR", "hidden", (string?)null), columns["customer_email"]);
        Assert.Equal([("row filter: region = 'Europe'", "subscription 1"), ("expires: never", "subscription 1")], PolicyRows(rows));
        Assert.Equal("SELECT 8", rows.Tag);
    }

    [Fact]
    public async Task Domain_admins_may_ask_and_the_read_is_audited()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var rows = await carol.QueryAsync(Show("finance", "marketing.mkt_sls_table"));
        Assert.All(Columns(rows).Values, c => Assert.Equal(("hidden", (string?)null), (c.Access, c.GrantedBy)));
        Assert.Equal([("no access: subscription 2 is pending", null)], PolicyRows(rows));

        var audit = await carol.QueryAsync("SHOW AUDIT LIMIT 2");
        var record = audit.Single("statement", Show("finance", "marketing.mkt_sls_table"));
        Assert.Equal("SHOW EFFECTIVE POLICY", record["command"]);
        Assert.Equal("ok", record["outcome"]);
    }

    [Theory]
    [InlineData("bob")]   // a contributor of the consumer project is not an owner of the asset's project
    [InlineData("dave")]
    public async Task Everyone_but_owners_and_domain_admins_is_refused_naming_the_owner_role(string user)
    {
        await using var connection = await fixture.OpenAsync(user);
        var e = await connection.FailsAsync(Show("ml_research", "marketing.mkt_sls_table"), "42501");
        Assert.Contains("the owner role in project \"marketing\" is required", e.MessageText);
    }

    [Fact]
    public async Task A_contributor_of_the_producer_is_refused_too()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var producer = await fixture.OpenAsync(s.ProducerContributor);
        var e = await producer.FailsAsync(Show(s.Consumer, s.AssetName), "42501");
        Assert.Contains($"the owner role in project \"{s.Producer}\" is required", e.MessageText);
        await using var owner = await fixture.OpenAsync(s.Owner);
        Assert.Equal([("no access: no subscription", null)], PolicyRows(await owner.QueryAsync(Show(s.Consumer, s.AssetName))));
    }

    [Fact]
    public async Task Unknown_projects_and_assets_are_42704_and_inventory_assets_stay_hidden_from_outsiders()
    {
        await using var alice = await fixture.OpenAsync("alice");
        await alice.FailsAsync(Show("nowhere", "marketing.mkt_sls_table"), "42704");
        await alice.FailsAsync(Show("ml_research", "marketing.nothing"), "42704");
        await alice.FailsAsync(Show("ml_research", "nowhere.mkt_sls_table"), "42704");
        // bob is no member of marketing: its draft does not exist for him, so 42704 before any role check.
        await using var bob = await fixture.OpenAsync("bob");
        await bob.FailsAsync(Show("ml_research", "marketing.draft_forecast"), "42704");
    }

    [Fact]
    public async Task An_unpublished_asset_is_no_access_for_others_and_full_access_for_its_own_project()
    {
        await using var alice = await fixture.OpenAsync("alice");
        var other = await alice.QueryAsync(Show("ml_research", "marketing.draft_forecast"));
        Assert.All(Columns(other).Values, c => Assert.Equal("hidden", c.Access));
        Assert.Equal([("no access: the asset is not published", null)], PolicyRows(other));

        var own = await alice.QueryAsync(Show("marketing", "marketing.draft_forecast"));
        Assert.NotEmpty(Columns(own));
        Assert.All(Columns(own).Values, c => Assert.Equal(("visible", "own project"), (c.Access, c.GrantedBy)));
        Assert.Equal([("no row filter", "own project"), ("expires: never", "own project")], PolicyRows(own));
    }

    [Fact]
    public async Task A_masked_grant_shows_its_masks_and_agrees_with_what_the_consumer_reads()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'Europe') INCLUDE COLUMNS (region, customer_email, sold_on, amount) " +
                              "MASK COLUMNS (customer_email USING partial(2, 4), sold_on USING year, region USING hash) EXPIRES '2099-12-31'");
        var rows = await owner.QueryAsync(Show(s.Consumer, s.AssetName));
        var granted = $"subscription {id}";
        Assert.Equal(new Dictionary<string, (string?, string?, string?)>
        {
            ["region"] = ("VARCHAR", "masked: hash", granted),
            ["amount"] = ("DECIMAL(4,2)", "visible", granted),
            ["customer_email"] = ("VARCHAR", "masked: partial(2, 4)", granted),
            ["sold_on"] = ("DATE", "masked: year", granted),
            ["quantity"] = ("INTEGER", "hidden", null),
        }, Columns(rows));
        Assert.Equal([("row filter: region = 'Europe'", granted), ("expires: 2099-12-31 00:00:00+00", granted)], PolicyRows(rows));

        // The consumer's own query sees exactly the visible columns, in schema order, and only the filtered rows.
        await using var consumer = new NpgsqlConnection(fixture.ConnectionString(s.Contributor).Replace("Database=postgres", $"Database={s.Consumer}"));
        await consumer.OpenAsync();
        var read = await consumer.QueryAsync($"SELECT * FROM {s.AssetName}");
        var visible = rows.Rows.Where(r => r[0] is not null && (string)r[2]! != "hidden").Select(r => (string)r[0]!).ToList();
        Assert.Equal(visible, read.Columns);
        Assert.Equal(1, read.Count);
    }

    [Fact]
    public async Task A_revoked_grant_shows_no_access()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id} MASK COLUMNS (customer_email USING redact)");
        Assert.Equal("masked: redact", Columns(await owner.QueryAsync(Show(s.Consumer, s.AssetName)))["customer_email"].Access);

        await owner.ExecAsync($"REVOKE SUBSCRIPTION {id}");
        var rows = await owner.QueryAsync(Show(s.Consumer, s.AssetName));
        Assert.All(Columns(rows).Values, c => Assert.Equal(("hidden", (string?)null), (c.Access, c.GrantedBy)));
        Assert.Equal([($"no access: subscription {id} is revoked", null)], PolicyRows(rows));
    }

    [Fact]
    public async Task An_expired_grant_shows_no_access_from_the_moment_it_expires()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"APPROVE SUBSCRIPTION {id} EXPIRES IN INTERVAL '1 second'");
        await Task.Delay(TimeSpan.FromSeconds(1.6));
        var rows = await owner.QueryAsync(Show(s.Consumer, s.AssetName));
        Assert.All(Columns(rows).Values, c => Assert.Equal("hidden", c.Access));
        var reason = Assert.Single(PolicyRows(rows)).Access!;
        Assert.StartsWith($"no access: subscription {id} expired at ", reason);
    }

    [Fact]
    public async Task The_answer_never_shows_where_the_files_are()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var rows = await owner.QueryAsync(Show(s.Producer, s.AssetName));
        var cells = rows.Rows.SelectMany(r => r).OfType<string>().ToList();
        Assert.DoesNotContain(cells, c => c.Contains(s.AccountRoot, StringComparison.Ordinal) || c.Contains("parquet", StringComparison.OrdinalIgnoreCase));
    }
}
