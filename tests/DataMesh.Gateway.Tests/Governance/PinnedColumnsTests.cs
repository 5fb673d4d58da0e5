using System.Globalization;
using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// A grant pins the columns its owner approved (issue 14, item 3): a column a later revision adds is hidden from every
/// existing grant (EXCLUDE-based, unfiltered or INCLUDE-based) until the owner approves it, whatever the consumer writes
/// (SELECT *, the column by name, the catalog); PUBLISH tells the owner which grants did not get it. Each test first
/// shows the new column is really there (the producer's own session reads it), so its absence is the grant's doing.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PinnedColumnsTests(GatewayFixture gateway)
{
    private const string Revision1 =
        "SELECT * FROM (VALUES (1, 'Europe', 10.5, 'ann@example.com'), (2, 'Asia', 7.25, 'bo@example.com'), (3, 'Europe', 3.0, 'cy@example.com')) " +
        "AS t(item_id, region, amount, customer_email)";

    private const string Revision2 =
        "SELECT *, '+33 1 ' || item_id AS customer_phone FROM (" + Revision1 + ")";

    /// <summary>A producer project (owned by a fresh user) in marketing's account with one published asset, and a consumer.</summary>
    private sealed record Mesh(string Producer, string Owner, string Storage, string Asset, GrantScenario Consumer);

    private async Task<Mesh> MeshAsync(string tag)
    {
        var n = tag + "_" + Guid.NewGuid().ToString("N")[..8];
        var producer = "pin_" + n;
        var owner = "o_" + n;
        await GrantScenario.AdminAsync(gateway, "carol", $"CREATE PROJECT {producer} ACCOUNT acct_marketing PROFILE sql_analytics");
        await GrantScenario.AdminAsync(gateway, "carol", $"CREATE USER {owner} PASSWORD '{owner}'");
        await GrantScenario.AdminAsync(gateway, "carol", $"ADD MEMBER {owner} TO PROJECT {producer} AS OWNER");
        var storage = Path.Combine(Path.GetDirectoryName(TruthDatabase.MarketingRoot(gateway))!, producer);
        AdminSql.WriteParquet(Path.Combine(storage, "orders", "orders.parquet"), Revision1);
        await GrantScenario.AdminAsync(gateway, owner, $"CREATE ASSET {producer}.orders FROM 'orders'", owner);
        await GrantScenario.AdminAsync(gateway, owner, $"PUBLISH ASSET {producer}.orders", owner);
        return new Mesh(producer, owner, storage, $"{producer}.orders", await GrantScenario.CreateAsync(gateway, "pinc"));
    }

    private async Task<long> SubscribeAsync(Mesh mesh, GrantScenario consumer, string clauses)
    {
        var requested = await GrantScenario.AdminAsync(gateway, consumer.User,
            $"REQUEST SUBSCRIPTION TO {mesh.Asset} FOR PROJECT {consumer.Project} JUSTIFICATION 'pinning'", consumer.Password);
        var id = Convert.ToInt64(requested[0][0], CultureInfo.InvariantCulture);
        await GrantScenario.AdminAsync(gateway, mesh.Owner, $"APPROVE SUBSCRIPTION {id} {clauses}", mesh.Owner);
        return id;
    }

    /// <summary>Runs an admin command as the owner, collecting its notices.</summary>
    private async Task<(AdminRows Rows, List<PostgresNotice> Notices)> OwnerAsync(Mesh mesh, string sql)
    {
        await using var connection = new NpgsqlConnection(gateway.ConnectionString(mesh.Owner, mesh.Owner, "postgres"));
        var notices = new List<PostgresNotice>();
        connection.Notice += (_, e) => notices.Add(e.Notice);
        await connection.OpenAsync();
        var rows = await connection.QueryAsync(sql);
        return (rows, notices);
    }

    /// <summary>The producer adds customer_phone and publishes revision 2; returns PUBLISH's rows and notices.</summary>
    private async Task<(AdminRows Rows, List<PostgresNotice> Notices)> PublishRevision2Async(Mesh mesh)
    {
        AdminSql.WriteParquet(Path.Combine(mesh.Storage, "orders", "orders.parquet"), Revision2);
        var published = await OwnerAsync(mesh, $"PUBLISH ASSET {mesh.Asset}");
        // The probe: the producer's own project reads the new column, so hiding it from grants means something.
        await using var own = await GovernedSession.OpenAsync(gateway, mesh.Owner, mesh.Producer, mesh.Owner);
        Assert.Equal(3L, await own.CountAsync($"SELECT count(customer_phone) FROM {mesh.Asset}"));
        return published;
    }

    private static async Task<List<string>> ColumnsAsync(GovernedSession s, string sql) => (await s.TableAsync(sql)).Columns;

    [Fact]
    [Adversarial(AttackClass.HiddenColumn)]
    public async Task A_column_added_later_is_hidden_from_an_exclude_grant_until_the_owner_approves_it()
    {
        var mesh = await MeshAsync("exc");
        var id = await SubscribeAsync(mesh, mesh.Consumer, "WITH ROW FILTER (region = 'Europe') EXCLUDE COLUMNS (customer_email) MASK COLUMNS (amount USING redact)");
        await using var s = await mesh.Consumer.OpenAsync();
        Assert.Equal(["item_id", "region", "amount"], await ColumnsAsync(s, $"SELECT * FROM {mesh.Asset}"));

        var (published, notices) = await PublishRevision2Async(mesh);
        // The publish row names what the revision added; one row and one NOTICE per grant that did not get it.
        Assert.Equal(["asset", "revision", "status", "subscription", "consumer_project", "columns"], published.Columns);
        Assert.Equal([mesh.Asset, 2L, "published", null, null, "customer_phone"], published.Rows[0]);
        Assert.Equal([mesh.Asset, 2L, "withheld", id, mesh.Consumer.Project, "customer_phone"], published.Rows[1]);
        var notice = Assert.Single(notices);
        Assert.Equal("NOTICE", notice.Severity);
        Assert.Equal($"subscription {id} of project {mesh.Consumer.Project} does not see the new column(s) customer_phone of {mesh.Asset}", notice.MessageText);
        Assert.Equal($"approve them with: APPROVE SUBSCRIPTION {id} ADD COLUMNS (customer_phone)", notice.Hint);

        // Every way of asking for it: absent, in the same session and in a new one; filter and mask still hold.
        foreach (var session in new[] { s, await mesh.Consumer.OpenAsync() })
        {
            Assert.Equal(["item_id", "region", "amount"], await ColumnsAsync(session, $"SELECT * FROM {mesh.Asset}"));
            Assert.Equal(["item_id", "region", "amount"], await ColumnsAsync(session, $"SELECT t.* FROM {mesh.Asset} t"));
            await session.ErrorAsync($"SELECT customer_phone FROM {mesh.Asset}", "42703");
            await session.ErrorAsync($"SELECT count(*) FROM {mesh.Asset} WHERE customer_phone IS NOT NULL", "42703");
            Assert.Empty(await session.RowsAsync($"SELECT column_name FROM information_schema.columns WHERE column_name = 'customer_phone'"));
            Assert.Equal(2L, await session.CountAsync($"SELECT count(*) FROM {mesh.Asset}"));
            Assert.Equal(["****", "****"], GovernedSession.Texts(await session.RowsAsync($"SELECT amount FROM {mesh.Asset}")).ToList());
        }
        var shown = await GrantScenario.AdminAsync(gateway, mesh.Consumer.User, $"SHOW SUBSCRIPTIONS FOR PROJECT {mesh.Consumer.Project}", mesh.Consumer.Password);
        Assert.Equal("all except customer_email; not approved yet: customer_phone", Assert.Single(shown)[7]);
        var policy = await OwnerAsync(mesh, $"SHOW EFFECTIVE POLICY FOR PROJECT {mesh.Consumer.Project} ON {mesh.Asset}");
        Assert.Equal("hidden: added after approval, not approved yet", policy.Rows.Single("column", "customer_phone")["access"]);

        // The owner approves it: the next statement of the open session shows it, the rest of the grant unchanged.
        var approved = await OwnerAsync(mesh, $"APPROVE SUBSCRIPTION {id} ADD COLUMNS (customer_phone)");
        Assert.Equal("item_id, region, amount, customer_phone", approved.Rows.Get(0, "columns"));
        Assert.Equal(["item_id", "region", "amount", "customer_phone"], await ColumnsAsync(s, $"SELECT * FROM {mesh.Asset}"));
        Assert.Equal(2L, await s.CountAsync($"SELECT count(customer_phone) FROM {mesh.Asset}"));
        await s.ErrorAsync($"SELECT customer_email FROM {mesh.Asset}", "42703");
    }

    [Fact]
    [Adversarial(AttackClass.HiddenColumn)]
    public async Task Unfiltered_and_include_grants_pin_their_columns_too()
    {
        var mesh = await MeshAsync("all");
        var all = await SubscribeAsync(mesh, mesh.Consumer, "");
        var other = await GrantScenario.CreateAsync(gateway, "pini");
        await SubscribeAsync(mesh, other, "INCLUDE COLUMNS (item_id, region)");
        var (published, notices) = await PublishRevision2Async(mesh);
        // The include grant never asked for new columns: it is hidden by its filter, not withheld.
        Assert.Equal([all], published.Rows.Skip(1).Select(r => (long)r[3]!).ToList());
        Assert.Single(notices);

        await using (var s = await mesh.Consumer.OpenAsync())
            Assert.Equal(["item_id", "region", "amount", "customer_email"], await ColumnsAsync(s, $"SELECT * FROM {mesh.Asset}"));
        await using (var s = await other.OpenAsync())
            Assert.Equal(["item_id", "region"], await ColumnsAsync(s, $"SELECT * FROM {mesh.Asset}"));

        // A grant approved after the revision pins what was there then: it shows the new column at once.
        var late = await GrantScenario.CreateAsync(gateway, "pinl");
        await SubscribeAsync(mesh, late, "EXCLUDE COLUMNS (customer_email)");
        await using (var s = await late.OpenAsync())
            Assert.Equal(["item_id", "region", "amount", "customer_phone"], await ColumnsAsync(s, $"SELECT * FROM {mesh.Asset}"));
    }

    [Fact]
    public async Task Approving_new_columns_is_for_the_owner_of_an_approved_grant_and_never_reopens_an_excluded_one()
    {
        var mesh = await MeshAsync("add");
        var id = await SubscribeAsync(mesh, mesh.Consumer, "EXCLUDE COLUMNS (customer_email)");
        await PublishRevision2Async(mesh);
        await using var owner = new NpgsqlConnection(gateway.ConnectionString(mesh.Owner, mesh.Owner, "postgres"));
        await owner.OpenAsync();
        await using var consumer = new NpgsqlConnection(gateway.ConnectionString(mesh.Consumer.User, mesh.Consumer.Password, "postgres"));
        await consumer.OpenAsync();

        await consumer.FailsAsync($"APPROVE SUBSCRIPTION {id} ADD COLUMNS (customer_phone)", "42501");
        var excluded = await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} ADD COLUMNS (customer_email)", "22023");
        Assert.Equal($"column \"customer_email\" is excluded by the column filter of subscription {id}", excluded.MessageText);
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} ADD COLUMNS (no_such_column)", "42703");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} ADD COLUMNS (region)", "55000");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION 999999999 ADD COLUMNS (region)", "42704");
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} ADD COLUMNS ()", "42601");
        await GrantScenario.AdminAsync(gateway, mesh.Owner, $"REVOKE SUBSCRIPTION {id}", mesh.Owner);
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} ADD COLUMNS (customer_phone)", "55000");
        await using var s = await mesh.Consumer.OpenAsync();
        await s.ErrorAsync($"SELECT * FROM {mesh.Asset}", "42501");
    }
}
