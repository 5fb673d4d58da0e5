using System.Diagnostics;
using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Governance.Differential;

/// <summary>
/// Generated queries run as bob through the gateway and in process over a materialised copy holding exactly the
/// granted rows and columns (<see cref="TruthDatabase"/>); the results must be identical. The seed is fixed and can
/// be overridden with DATAMESH_DIFF_SEED (a failure prints the seed and the query).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DifferentialTests(GatewayFixture gateway)
{
    private const int DefaultSeed = 4_2024;
    private const int SingleAssetQueries = 120;
    private const int TwoAssetQueries = 200;

    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("DATAMESH_DIFF_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;

    [Fact]
    public void The_generator_is_deterministic_and_covers_every_shape()
    {
        var a = new QueryGenerator(7, withCampaigns: true);
        var b = new QueryGenerator(7, withCampaigns: true);
        var queries = Enumerable.Range(0, 300).Select(_ => a.Next()).ToList();
        Assert.Equal(queries, Enumerable.Range(0, 300).Select(_ => b.Next()));
        foreach (var marker in new[] { " JOIN marketing.mkt_sls_table b", "LEFT JOIN", "WITH s AS", "UNION", "EXCEPT", "INTERSECT", " IN (SELECT", "EXISTS (", "GROUP BY", "ORDER BY ALL LIMIT", "JOIN campaigns", "OVER (" })
            Assert.Contains(queries, q => q.Sql.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_generated_query_runs_on_the_oracle()
    {
        // A generator bug must show up here, not as a product failure in the differential run.
        var truth = Truth.For(gateway);
        var seed = Seed();
        var single = new QueryGenerator(seed, withCampaigns: false);
        var two = new QueryGenerator(seed + 1, withCampaigns: true);
        var queries = Enumerable.Range(0, SingleAssetQueries).Select(_ => single.Next())
            .Concat(Enumerable.Range(0, TwoAssetQueries).Select(_ => two.Next()));
        var rejected = queries.Select(q => (q.Sql, truth.Run(q.Sql).Error)).Where(x => x.Error is not null).ToList();
        Assert.True(rejected.Count == 0, string.Join("\n", rejected.Take(5).Select(x => $"{x.Sql}: {x.Error!.Message}")));
    }

    [Fact]
    public async Task Generated_queries_match_the_granted_data_exactly()
    {
        var seed = Seed();
        var truth = Truth.For(gateway);
        var failures = new List<string>();
        var watch = Stopwatch.StartNew();

        await using (var bob = await GovernedSession.OpenAsync(gateway))
            await RunAsync(bob, new QueryGenerator(seed, withCampaigns: false), SingleAssetQueries, truth, failures);

        var project = await TwoAssetProjectForBobAsync();
        await using (var bob = await GovernedSession.OpenAsync(gateway, "bob", project))
            await RunAsync(bob, new QueryGenerator(seed + 1, withCampaigns: true), TwoAssetQueries, truth, failures);

        Assert.True(failures.Count == 0,
            $"seed {seed} (DATAMESH_DIFF_SEED): {failures.Count} of {SingleAssetQueries + TwoAssetQueries} queries differ, in {watch.Elapsed.TotalSeconds:F1}s\n"
            + string.Join("\n", failures.Take(10)));
    }

    private static async Task RunAsync(GovernedSession session, QueryGenerator generator, int count, TruthDatabase truth, List<string> failures)
    {
        for (var i = 0; i < count; i++)
        {
            var q = generator.Next();
            var expected = truth.Run(q.Sql);
            if (expected.Error is not null)
            {
                failures.Add($"[generator] oracle rejects [{q.Sql}]: {expected.Error.Message}");
                continue;
            }
            try
            {
                var (columns, rows) = await session.TableAsync(q.Sql);
                var difference = ResultComparison.Difference(expected.Columns, expected.Rows, columns, rows, q.Ordered);
                if (difference is not null) failures.Add($"[{q.Sql}]: {difference}");
            }
            catch (Xunit.Sdk.XunitException e)
            {
                failures.Add($"[{q.Sql}]: {e.Message}");
            }
        }
    }

    /// <summary>
    /// A project of bob's with two grants (ml_research's grants must not change under the other tests): the demo
    /// grant on mkt_sls_table, and campaigns with the grant <see cref="TruthDatabase"/> materialises.
    /// </summary>
    private async Task<string> TwoAssetProjectForBobAsync()
    {
        var project = "diff_" + Guid.NewGuid().ToString("N")[..8];
        await GrantScenario.AdminAsync(gateway, "carol", $"CREATE PROJECT {project} ACCOUNT acct_research PROFILE sql_analytics");
        await GrantScenario.AdminAsync(gateway, "carol", $"ADD MEMBER bob TO PROJECT {project} AS CONTRIBUTOR");
        var sales = await GrantScenario.AdminAsync(gateway, "bob", $"REQUEST SUBSCRIPTION TO marketing.mkt_sls_table FOR PROJECT {project} JUSTIFICATION 'differential test'");
        var campaigns = await GrantScenario.AdminAsync(gateway, "bob", $"REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT {project} JUSTIFICATION 'differential test'");
        await GrantScenario.AdminAsync(gateway, "alice", $"APPROVE SUBSCRIPTION {sales[0][0]} WITH ROW FILTER (region = 'Europe') EXCLUDE COLUMNS (customer_email)");
        await GrantScenario.AdminAsync(gateway, "alice",
            $"APPROVE SUBSCRIPTION {campaigns[0][0]} WITH ROW FILTER ({TruthDatabase.CampaignsFilter}) INCLUDE COLUMNS ({TruthDatabase.CampaignsColumns})");
        return project;
    }
}
