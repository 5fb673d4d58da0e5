using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Unqualified names resolve through the project's search path: its own assets first, then subscribed ones; a name
/// two subscribed producers share is ambiguous and the error lists the qualified candidates.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class NameResolutionTests(GatewayFixture gateway)
{
    [Fact]
    [Adversarial(AttackClass.NameResolution)]
    public async Task A_name_two_subscribed_producers_share_is_ambiguous_and_an_own_asset_wins()
    {
        // A second producer project in the marketing account publishes its own mkt_sls_table (a copy of the same file in
        // its own storage prefix: marketing's files are out of its reach).
        var producer = "prod_" + Guid.NewGuid().ToString("N")[..8];
        await GrantScenario.AdminAsync(gateway, "carol", $"CREATE PROJECT {producer} ACCOUNT acct_marketing PROFILE sql_analytics");
        var marketing = TruthDatabase.MarketingRoot(gateway);
        var copy = Path.Combine(Path.GetDirectoryName(marketing)!, producer, "sales");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(marketing, "sales", "mkt_sls_table.parquet"), Path.Combine(copy, "mkt_sls_table.parquet"));
        await GrantScenario.AdminAsync(gateway, "carol", $"ADD MEMBER alice TO PROJECT {producer} AS OWNER");
        await GrantScenario.AdminAsync(gateway, "alice", $"CREATE ASSET {producer}.mkt_sls_table FROM 'sales/*.parquet'");
        await GrantScenario.AdminAsync(gateway, "alice", $"PUBLISH ASSET {producer}.mkt_sls_table");

        var consumer = await GrantScenario.CreateAsync(gateway, "amb");
        await consumer.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Europe')");
        var requested = await GrantScenario.AdminAsync(gateway, consumer.User,
            $"REQUEST SUBSCRIPTION TO {producer}.mkt_sls_table FOR PROJECT {consumer.Project} JUSTIFICATION 'both'", consumer.Password);
        var id = Convert.ToInt64(requested[0][0], CultureInfo.InvariantCulture);
        await GrantScenario.AdminAsync(gateway, "alice", $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'Asia')");

        await using var s = await consumer.OpenAsync();
        var e = await s.ErrorAsync("SELECT count(*) FROM mkt_sls_table", "42P09");
        Assert.Contains($"marketing.mkt_sls_table", e.Hint);
        Assert.Contains($"{producer}.mkt_sls_table", e.Hint);
        // Qualified, each name reads through its own grant.
        Assert.Equal(250_000L, await s.CountAsync($"SELECT count(*) FROM marketing.mkt_sls_table WHERE region = 'Europe'"));
        Assert.Equal(0L, await s.CountAsync($"SELECT count(*) FROM {producer}.mkt_sls_table WHERE region <> 'Asia'"));

        // In the producer project itself, its own asset wins over the subscription-free marketing one.
        await using var own = await GovernedSession.OpenAsync(gateway, "alice", producer);
        Assert.Equal(1_000_000L, await own.CountAsync("SELECT count(*) FROM mkt_sls_table"));
    }
}
