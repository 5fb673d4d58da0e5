namespace DataMesh.Gateway.Tests.Admin;

/// <summary>Assets, catalog search, subscription requests and decisions, and the audit log, over the wire.</summary>
public sealed partial class AdminCommandTests
{
    [Fact]
    public async Task Asset_create_alter_publish_unpublish_describe_show()
    {
        var s = await Scenario.CreateAsync(fixture, publish: false);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var created = await owner.QueryAsync($"CREATE ASSET {s.Producer}.orders FROM 'data/sales.parquet' DESCRIPTION 'Orders' TERMS ('Sales', revenue) METADATA (refresh = 'daily')");
        Assert.Equal(["asset", "id", "columns", "status"], created.Columns);
        Assert.Equal($"{s.Producer}.orders", created.Get(0, "asset"));
        Assert.IsType<long>(created.Get(0, "id"));
        Assert.Equal(5L, created.Get(0, "columns"));
        Assert.Equal("inventory", created.Get(0, "status"));
        await owner.FailsAsync($"CREATE ASSET {s.Producer}.orders FROM 'data/sales.parquet'", "42710");
        var badTerm = await owner.FailsAsync($"CREATE ASSET {s.Producer}.o2 FROM 'data/sales.parquet' TERMS ('No such term zz')", "42704");
        Assert.Contains("No such term zz", badTerm.MessageText);

        await owner.ExecAsync($"ALTER ASSET {s.Producer}.orders SET COLUMN amount DESCRIPTION 'Amount in EUR'");
        await owner.ExecAsync($"ALTER ASSET {s.Producer}.orders SET DESCRIPTION 'Orders by region'");
        await owner.ExecAsync($"ALTER ASSET {s.Producer}.orders SET TERMS ('Customer')");
        await owner.ExecAsync($"ALTER ASSET {s.Producer}.orders SET METADATA (steward = 'me', tier = 'gold')");
        await owner.FailsAsync($"ALTER ASSET {s.Producer}.orders SET COLUMN no_col DESCRIPTION 'x'", "42704");

        var described = await owner.QueryAsync($"DESCRIBE ASSET {s.Producer}.orders");
        Assert.Equal(["section", "item", "value", "detail"], described.Columns);
        string? Value(string section, string item) => (string?)described.Rows.Single(r => (string)r[0]! == section && (string)r[1]! == item)[2];
        string? Detail(string section, string item) => (string?)described.Rows.Single(r => (string)r[0]! == section && (string)r[1]! == item)[3];
        Assert.Equal("Orders by region", Value("asset", "description"));
        Assert.Equal("inventory", Value("asset", "status"));
        Assert.Equal("Customer", Value("asset", "glossary terms"));
        Assert.Equal("data/sales.parquet", Value("asset", "source"));
        Assert.Equal("me", Value("metadata", "steward"));
        Assert.Equal("gold", Value("metadata", "tier"));
        Assert.DoesNotContain(described.Rows, r => (string)r[0]! == "metadata" && (string)r[1]! == "refresh");
        Assert.Equal("Amount in EUR", Detail("column", "amount"));
        Assert.Equal("VARCHAR", Value("column", "region"));
        Assert.Equal("DATE", Value("column", "sold_on"));
        Assert.Equal($"DESCRIBE ASSET {described.Count}".Replace("DESCRIBE ASSET", "SELECT"), described.Tag);

        var first = await owner.QueryAsync($"PUBLISH ASSET {s.Producer}.orders");
        Assert.Equal(["asset", "revision", "status", "subscription", "consumer_project", "columns"], first.Columns);
        Assert.Single(first.Rows); // no grant yet: nothing withheld
        Assert.Equal(1L, first.Get(0, "revision"));
        Assert.Equal("published", first.Get(0, "status"));
        var second = await owner.QueryAsync($"PUBLISH ASSET {s.Producer}.orders");
        Assert.Equal(2L, second.Get(0, "revision"));

        var unpublished = await owner.QueryAsync($"UNPUBLISH ASSET {s.Producer}.orders");
        Assert.Equal([$"{s.Producer}.orders", "inventory"], unpublished.Rows.Single());
        await owner.FailsAsync($"UNPUBLISH ASSET {s.Producer}.orders", "55000");
        Assert.Equal(3L, (await owner.QueryAsync($"PUBLISH ASSET {s.Producer}.orders")).Get(0, "revision"));

        described = await owner.QueryAsync($"DESCRIBE ASSET {s.Producer}.orders");
        Assert.Equal("3", Value("asset", "latest revision"));
        Assert.Equal("published", Value("asset", "status"));
        Assert.Equal(["1", "2", "3"], described.Rows.Where(r => (string)r[0]! == "revision").Select(r => (string)r[1]!));

        var assets = await owner.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}");
        Assert.Equal(["asset", "status", "latest_revision", "columns", "description", "terms"], assets.Columns);
        var orders = assets.Single("asset", "orders");
        Assert.Equal("published", orders["status"]);
        Assert.Equal(3L, orders["latest_revision"]);
        Assert.Equal(5L, orders["columns"]);
        Assert.Equal("Customer", orders["terms"]);
        var sales = assets.Single("asset", "sales");
        Assert.Equal("inventory", sales["status"]);
        Assert.Null(sales["latest_revision"]);
        await owner.FailsAsync("SHOW ASSETS IN PROJECT no_such_project_zz", "42704");
    }

    [Fact]
    public async Task Describe_shows_subscriptions_to_owners_only_and_hides_inventory_from_non_members()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture, "owner-only justification");
        await using var owner = await fixture.OpenAsync(s.Owner);
        var described = await owner.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
        var sub = described.Rows.Single(r => (string)r[0]! == "subscription");
        Assert.Equal([ "subscription", id.ToString(), $"{s.Consumer}: pending", "owner-only justification" ], sub);

        await using var viewer = await fixture.OpenAsync(s.ProducerViewer);
        var asViewer = await viewer.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
        Assert.DoesNotContain(asViewer.Rows, r => (string)r[0]! == "subscription");
        Assert.Contains(asViewer.Rows, r => (string)r[0]! == "asset" && (string)r[1]! == "source");

        await using var outsider = await fixture.OpenAsync(s.Outsider);
        var asOutsider = await outsider.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
        Assert.DoesNotContain(asOutsider.Rows, r => (string)r[0]! == "subscription");
        Assert.DoesNotContain(asOutsider.Rows, r => (string)r[0]! == "asset" && (string)r[1]! == "source");

        await owner.ExecAsync($"CREATE ASSET {s.Producer}.hidden FROM 'data/sales.parquet'");
        var e = await outsider.FailsAsync($"DESCRIBE ASSET {s.Producer}.hidden", "42704");
        Assert.Contains($"{s.Producer}.hidden", e.MessageText);
        Assert.Empty((await outsider.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}")).RowsWhere("asset", "hidden"));
        Assert.Single((await viewer.QueryAsync($"SHOW ASSETS IN PROJECT {s.Producer}")).RowsWhere("asset", "hidden"));
        await viewer.QueryAsync($"DESCRIBE ASSET {s.Producer}.hidden");
    }

    [Fact]
    public async Task Search_catalog_returns_rows()
    {
        await using var bob = await fixture.OpenAsync("bob");
        // By name: every scenario of this collection publishes an asset named "sales", and an exact name ranks first,
        // so a search for 'sales' fills its 50 rows with them once enough scenarios have run.
        var hits = await bob.QueryAsync("SEARCH CATALOG 'mkt_sls_table'");
        Assert.Equal(["asset", "project", "description", "status", "latest_revision", "terms", "score"], hits.Columns);
        var row = hits.Single("asset", "mkt_sls_table");
        Assert.Equal("marketing", row["project"]);
        Assert.Equal("published", row["status"]);
        Assert.Equal("Sales, Revenue, PII", row["terms"]);
        Assert.Empty((await bob.QueryAsync("SEARCH CATALOG 'draft_forecast'")).RowsWhere("asset", "draft_forecast"));
    }

    [Fact]
    public async Task Request_show_requests_approve_with_every_clause_and_show_subscriptions()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var contributor = await fixture.OpenAsync(s.Contributor);
        var requested = await contributor.QueryAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'forecasting'");
        Assert.Equal(["subscription", "asset", "project", "status"], requested.Columns);
        var id = (long)requested.Get(0, "subscription")!;
        Assert.Equal([id, s.AssetName, s.Consumer, "pending"], requested.Rows.Single());
        await contributor.FailsAsync($"REQUEST SUBSCRIPTION TO {s.AssetName} FOR PROJECT {s.Consumer} JUSTIFICATION 'again'", "42710");

        var requests = await contributor.QueryAsync("SHOW SUBSCRIPTION REQUESTS");
        Assert.Equal(["subscription", "asset", "consumer_project", "requested_by", "requested_at", "justification", "you_can_decide"], requests.Columns);
        var mine = requests.Single("subscription", id);
        Assert.Equal(s.Contributor, mine["requested_by"]);
        Assert.Equal("forecasting", mine["justification"]);
        Assert.Equal(false, mine["you_can_decide"]);
        await using var owner = await fixture.OpenAsync(s.Owner);
        Assert.Equal(true, (await owner.QueryAsync("SHOW SUBSCRIPTION REQUESTS")).Single("subscription", id)["you_can_decide"]);
        await using var outsider = await fixture.OpenAsync(s.Outsider);
        Assert.Empty((await outsider.QueryAsync("SHOW SUBSCRIPTION REQUESTS")).RowsWhere("subscription", id));

        var approved = await owner.QueryAsync(
            $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'Europe' AND amount > 1) INCLUDE COLUMNS (region, amount, customer_email, sold_on) " +
            "MASK COLUMNS (customer_email USING partial(2,4), sold_on USING year) EXPIRES '2099-01-01' COMMENT 'EU only'");
        Assert.Equal(["subscription", "status", "row_filter", "columns", "masks", "expires_at"], approved.Columns);
        Assert.Equal(id, approved.Get(0, "subscription"));
        Assert.Equal("approved", approved.Get(0, "status"));
        Assert.Equal("region = 'Europe' AND amount > 1", approved.Get(0, "row_filter"));
        Assert.Equal("region, amount, customer_email, sold_on", approved.Get(0, "columns"));
        Assert.Equal("customer_email USING partial(2, 4), sold_on USING year", approved.Get(0, "masks"));
        Assert.Equal("2099-01-01 00:00:00+00", approved.Get(0, "expires_at"));

        var subs = await contributor.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}");
        Assert.Equal(["subscription", "asset", "status", "requested_by", "decided_by", "decided_at", "row_filter", "columns", "masks", "expires_at", "comment"], subs.Columns);
        var sub = subs.Single("subscription", id);
        Assert.Equal("approved", sub["status"]);
        Assert.Equal(s.AssetName, sub["asset"]);
        Assert.Equal(s.Owner, sub["decided_by"]);
        Assert.NotNull(sub["decided_at"]);
        Assert.Equal("region = 'Europe' AND amount > 1", sub["row_filter"]);
        Assert.Equal("only region, amount, customer_email, sold_on", sub["columns"]);
        Assert.Equal("customer_email USING partial(2, 4), sold_on USING year", sub["masks"]);
        Assert.Equal("2099-01-01 00:00:00+00", sub["expires_at"]);
        Assert.Equal("EU only", sub["comment"]);
        Assert.Empty((await contributor.QueryAsync("SHOW SUBSCRIPTION REQUESTS")).RowsWhere("subscription", id));

        var revoked = await owner.QueryAsync($"REVOKE SUBSCRIPTION {id} COMMENT 'done'");
        Assert.Equal([id, "revoked"], revoked.Rows.Single());
        sub = (await contributor.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Single("subscription", id);
        Assert.Equal("revoked", sub["status"]);
        Assert.Equal("done", sub["comment"]);
    }

    [Fact]
    public async Task Approve_with_exclude_columns_and_interval_expiry()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var before = DateTimeOffset.UtcNow;
        var approved = await owner.QueryAsync($"APPROVE SUBSCRIPTION {id} EXCLUDE COLUMNS (customer_email) EXPIRES IN INTERVAL '30 days'");
        Assert.Equal("region, amount, sold_on, quantity", approved.Get(0, "columns"));
        Assert.Null(approved.Get(0, "row_filter"));
        Assert.Equal("", approved.Get(0, "masks"));
        var expires = DateTimeOffset.Parse(((string)approved.Get(0, "expires_at")!).Replace("+00", "Z"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, before.AddDays(30).AddSeconds(-5), before.AddDays(30).AddMinutes(1));
        await using var contributor = await fixture.OpenAsync(s.Contributor);
        var sub = (await contributor.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Single("subscription", id);
        Assert.Equal("all except customer_email", sub["columns"]);
        Assert.Equal("approved", sub["status"]);
    }

    [Fact]
    public async Task Approve_checks_columns_and_masks()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var e = await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} INCLUDE COLUMNS (region, nope)", "42703");
        Assert.Contains("nope", e.MessageText);
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} MASK COLUMNS (amount USING year)", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} MASK COLUMNS (amount USING partial(1, 1))", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} EXCLUDE COLUMNS (region) MASK COLUMNS (region USING hash)", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} EXPIRES '2001-01-01'", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} EXPIRES 'not a date'", "22023");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} INCLUDE COLUMNS (region) EXCLUDE COLUMNS (amount)", "42601");
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task Reject_with_comment()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var rejected = await owner.QueryAsync($"REJECT SUBSCRIPTION {id} COMMENT 'not now'");
        Assert.Equal(["subscription", "status"], rejected.Columns);
        Assert.Equal([id, "rejected"], rejected.Rows.Single());
        await owner.FailsAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}", "42501"); // the producer's owner is no consumer member
        await using var viewer = await fixture.OpenAsync(s.Viewer);
        var sub = (await viewer.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Single("subscription", id);
        Assert.Equal("rejected", sub["status"]);
        Assert.Equal("not now", sub["comment"]);
        Assert.Null(sub["columns"]);
        // A rejected request can be asked again.
        var again = await s.RequestAsync(fixture);
        Assert.True(again > id);
    }

    [Fact]
    public async Task Show_audit_limit()
    {
        await using var carol = await fixture.OpenAsync("carol");
        var audit = await carol.QueryAsync("SHOW AUDIT LIMIT 3");
        Assert.Equal(["id", "at", "user", "issuer", "subject", "project", "kind", "command", "outcome", "sqlstate", "message", "statement",
            "assets", "subscriptions", "policy_version", "rows", "duration_ms"], audit.Columns);
        Assert.Equal(3, audit.Count);
        Assert.Equal("SELECT 3", audit.Tag);
        var ids = audit.Column("id").Cast<long>().ToList();
        Assert.Equal(ids.OrderDescending(), ids); // newest first
        await carol.FailsAsync("SHOW AUDIT LIMIT 0", "42601");
        await carol.FailsAsync("SHOW AUDIT LIMIT 10001", "42601");
    }
}
