using DataMesh.Gateway.Tests.Admin;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>
/// Data products written by projects: a consumer turns its governed results (a workspace table, or a query) into a
/// Parquet asset in its own prefix on the object store, publishes it, and another project subscribes to it. The query
/// is governed like the session's own (an excluded column stays excluded), and the product records its lineage.
/// </summary>
[Collection(S3GatewayCollection.Name)]
public sealed class DataProductTests(S3GatewayFixture fixture)
{
    [Fact]
    public async Task A_workspace_table_becomes_a_published_asset_that_another_project_subscribes_to()
    {
        var s = await S3Scenario.CreateAsync(fixture);
        var subscription = await s.PublishAndSubscribeAsync(fixture);
        await using (var consumer = await fixture.OpenAsync(s.Consumer, s.ConsumerProject))
        {
            await consumer.ExecAsync($"CREATE TABLE workspace.eu AS SELECT region, sum(amount) AS total, count(*) AS n FROM {s.Producer}.orders GROUP BY region");
            var created = await consumer.QueryAsync($"CREATE ASSET {s.ConsumerProject}.eu_totals FROM WORKSPACE TABLE eu DESCRIPTION 'European totals'");
            Assert.Equal(3L, created.Get(0, "columns"));
            Assert.Equal(1L, created.Get(0, "rows"));
            // The rows came through the subscription the workspace table was written from: the product keeps it.
            Assert.Equal($"subscription {subscription}", created.Get(0, "lineage"));
            var lineage = (await consumer.QueryAsync($"DESCRIBE ASSET {s.ConsumerProject}.eu_totals")).RowsWhere("section", "lineage");
            Assert.Contains(lineage, r => Equals(r[1], "upstream asset") && Equals(r[2], $"{s.Producer}.orders"));
            Assert.Contains(lineage, r => Equals(r[1], $"subscription {subscription}") && Equals(r[2], "approved"));
            await consumer.ExecAsync($"PUBLISH ASSET {s.ConsumerProject}.eu_totals");
        }
        Assert.Equal([$"{s.Prefix}{s.ConsumerProject}/eu_totals/part-0.parquet"],
            await fixture.S3.KeysAsync(S3GatewayFixture.Bucket, $"{s.Prefix}{s.ConsumerProject}/eu_totals/"));

        var third = AdminSql.Unique("third");
        await using (var carol = await fixture.OpenAsync("carol"))
        {
            await carol.ExecAsync($"CREATE USER {third} PASSWORD '{third}'");
            await carol.ExecAsync($"CREATE PROJECT {third} ACCOUNT {s.Account} PROFILE {s.Profile}");
            await carol.ExecAsync($"ADD MEMBER {third} TO PROJECT {third} AS OWNER");
        }
        await using (var t = await fixture.OpenAsync(third))
            await t.ExecAsync($"REQUEST SUBSCRIPTION TO {s.ConsumerProject}.eu_totals FOR PROJECT {third} JUSTIFICATION 'reporting'");
        await using (var owner = await fixture.OpenAsync(s.Consumer))
        {
            var requests = await owner.QueryAsync("SHOW SUBSCRIPTION REQUESTS");
            var id = requests.Rows.Single(r => Equals(r[requests.IndexOf("consumer_project")], third))[requests.IndexOf("subscription")];
            await owner.ExecAsync($"APPROVE SUBSCRIPTION {id}");
        }
        await using var reader = await fixture.OpenAsync(third, third);
        var rows = await reader.QueryAsync($"SELECT region, total, n FROM {s.ConsumerProject}.eu_totals");
        Assert.Equal(1, rows.Count);
        Assert.Equal("Europe", rows.Get(0, "region"));
        Assert.Equal(6300.0, rows.Get(0, "total"));
        Assert.Equal(20L, rows.Get(0, "n"));
    }

    [Fact]
    public async Task A_query_becomes_an_asset_governed_like_the_sessions_own_query_with_its_lineage()
    {
        var s = await S3Scenario.CreateAsync(fixture);
        var subscription = await s.PublishAndSubscribeAsync(fixture);
        await using var consumer = await fixture.OpenAsync(s.Consumer, s.ConsumerProject);
        // The grant hides customer_email and every row outside Europe: the product cannot hold them either.
        await consumer.FailsAsync($"CREATE ASSET {s.ConsumerProject}.leak AS SELECT customer_email FROM {s.Producer}.orders", "42703");
        Assert.Empty(await fixture.S3.KeysAsync(S3GatewayFixture.Bucket, $"{s.Prefix}{s.ConsumerProject}/leak/"));

        var created = await consumer.QueryAsync($"CREATE ASSET {s.ConsumerProject}.big_orders AS SELECT id, amount, region FROM {s.Producer}.orders WHERE amount > 100");
        Assert.Equal(17L, created.Get(0, "rows")); // Europe ids 12, 15, …, 60
        Assert.Equal($"subscription {subscription}", created.Get(0, "lineage"));
        Assert.Equal(17L, await S3Scenario.ScalarAsync(consumer, $"SELECT count(*) FROM big_orders WHERE region = 'Europe'"));

        var described = await consumer.QueryAsync($"DESCRIBE ASSET {s.ConsumerProject}.big_orders");
        var lineage = described.RowsWhere("section", "lineage");
        Assert.Contains(lineage, r => Equals(r[1], "origin") && Equals(r[2], "query"));
        Assert.Contains(lineage, r => Equals(r[1], "upstream asset") && Equals(r[2], $"{s.Producer}.orders"));
        Assert.Contains(lineage, r => Equals(r[1], $"subscription {subscription}") && Equals(r[2], "approved"));

        // A product is written from a session of its own project, by a contributor or owner.
        await using var home = await fixture.OpenAsync(s.Consumer);
        await home.FailsAsync($"CREATE ASSET {s.ConsumerProject}.elsewhere AS SELECT 1 AS x", "55000");
        await consumer.FailsAsync($"CREATE ASSET {s.ConsumerProject}.big_orders AS SELECT 1 AS x", "42710");
    }

    [Fact]
    public async Task A_data_product_on_a_local_account_is_written_under_the_projects_prefix()
    {
        var s = AdminSql.Unique("lp");
        var root = Path.Combine(fixture.Scratch, s);
        AdminSql.WriteParquet(Path.Combine(root, s, "src", "t.parquet"), "SELECT i AS id, i % 2 = 0 AS even FROM range(10) r(i)");
        await using (var carol = await fixture.OpenAsync("carol"))
        {
            await carol.ExecAsync($"ASSOCIATE ACCOUNT a_{s} LOCATION '{root}' ADMIN carol");
            await carol.ExecAsync($"ACCEPT ACCOUNT a_{s}");
            await carol.ExecAsync($"CREATE PROJECT PROFILE pr_{s} BLUEPRINTS (producer_storage, workspace)");
            await carol.ExecAsync($"CREATE PROJECT {s} ACCOUNT a_{s} PROFILE pr_{s}");
            await carol.ExecAsync($"ADD MEMBER carol TO PROJECT {s} AS OWNER");
            await carol.ExecAsync($"CREATE ASSET {s}.t FROM 'src/t.parquet'");
        }
        await using var owner = await fixture.OpenAsync("carol", s);
        var created = await owner.QueryAsync($"CREATE ASSET {s}.evens AS SELECT id FROM t WHERE even");
        Assert.Equal(5L, created.Get(0, "rows"));
        Assert.True(File.Exists(Path.Combine(root, s, "evens", "part-0.parquet")));
        Assert.Equal(8L, await S3Scenario.ScalarAsync(owner, "SELECT max(id) FROM evens"));
        var described = await owner.QueryAsync($"DESCRIBE ASSET {s}.evens");
        Assert.Contains(described.Rows, r => Equals(r[0], "asset") && Equals(r[1], "source") && Equals(r[2], "evens/*.parquet"));
    }
}
