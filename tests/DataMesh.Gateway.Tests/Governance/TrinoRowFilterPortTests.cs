using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Cases learnt from Trino's TestRowFilter (trinodb/trino, core/trino-main/src/test/java/io/trino/sql/query): simple
/// and null filters, the protected table under WITH, a user CTE named like a name the filter relies on ("SQL
/// injection"), correlated subqueries (the filter scoped to its own table), and invalid filters that must fail closed.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class TrinoRowFilterPortTests(GatewayFixture gateway)
{
    [Fact]
    [Adversarial(AttackClass.TrinoRowFilterPort)]
    public async Task Simple_filter_counts_exactly_the_matching_rows()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "tsimple");
        await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (item_id < 10)");
        await using var s = await scenario.OpenAsync();
        Assert.Equal(9L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table"));
        Assert.Equal(9L, await s.CountAsync("WITH t AS (SELECT count(*) FROM mkt_sls_table) SELECT * FROM t"));
    }

    [Fact]
    [Adversarial(AttackClass.TrinoRowFilterPort)]
    public async Task A_filter_that_is_never_true_lets_nothing_through()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "tnull");
        // Trino's "NULL" filter: a filter that is unknown for every row admits no row (or is refused at approval).
        try
        {
            await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (CAST(NULL AS BOOLEAN))");
        }
        catch (PostgresException e) when (e.SqlState is "42601" or "22023" or "42501" or "42804")
        {
            return;
        }
        await using var s = await scenario.OpenAsync();
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table"));
    }

    [Fact]
    [Adversarial(AttackClass.TrinoRowFilterPort)]
    public async Task A_user_CTE_named_like_the_filter_column_does_not_inject_into_the_filter()
    {
        // Trino's testSqlInjection: if the CTE leaked into the filter, the first item would be a hidden one.
        await using var s = await GovernedSession.OpenAsync(gateway);
        var rows = await s.RowsAsync("WITH region(region) AS (VALUES ('Asia'), ('North America')) SELECT item_id, region FROM mkt_sls_table ORDER BY item_id LIMIT 1");
        Assert.Equal(["4", "Europe"], GovernedSession.Texts(rows));
        rows = await s.RowsAsync("WITH mkt_sls_table_src AS (SELECT 1 AS item_id, 'Asia' AS region), europe AS (SELECT 'Asia' AS region) SELECT min(item_id) FROM mkt_sls_table");
        Assert.Equal(["4"], GovernedSession.Texts(rows));
    }

    [Fact]
    [Adversarial(AttackClass.TrinoRowFilterPort)]
    public async Task The_filter_is_scoped_to_its_own_table_inside_a_correlated_subquery()
    {
        // Trino's testLimitedScope: the outer query has a column named region; the filter must not see it.
        var truth = Truth.For(gateway);
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.AssertSameAsTruthAsync(truth,
            "SELECT o.i, (SELECT min(region) FROM mkt_sls_table m WHERE m.item_id = o.i) FROM (VALUES (1, 'Asia'), (4, 'Asia'), (8, 'Europe')) o(i, region)");
        await s.AssertSameAsTruthAsync(truth,
            "SELECT count(*) FROM (VALUES ('Asia'), ('Europe')) o(region) WHERE EXISTS (SELECT 1 FROM mkt_sls_table m WHERE m.item_id = 1 AND o.region IS NOT NULL)");
    }

    [Theory]
    [Adversarial(AttackClass.TrinoRowFilterPort)]
    [InlineData("$$$")]
    [InlineData("unknown_column")]
    [InlineData("1")]
    [InlineData("count(*) > 0")]
    [InlineData("row_number() OVER () > 0")]
    [InlineData("item_id IN (SELECT item_id FROM marketing.mkt_sls_table)")]
    [InlineData("EXISTS (SELECT 1 FROM marketing.campaigns)")]
    [InlineData("region = 'Europe') OR (1 = 1")]
    [InlineData("region = 'Europe'; DROP TABLE x")]
    [InlineData("current_setting('threads') IS NOT NULL")]
    [InlineData("customer_email = current_user")]
    public async Task An_invalid_filter_is_refused_at_approval_or_fails_closed_at_query_time(string filter)
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "tinv");
        try
        {
            await scenario.SubscribeAsync("mkt_sls_table", $"WITH ROW FILTER ({filter})");
        }
        catch (PostgresException)
        {
            return; // refused at approval: the subscription never became a grant
        }
        // Accepted: then it must never widen what the consumer reads.
        await using var s = await scenario.OpenAsync();
        var (error, rows) = await s.TryAsync("SELECT count(*) FROM mkt_sls_table");
        if (error is not null) return;
        var count = Convert.ToInt64(Assert.Single(rows)[0]);
        Assert.True(count < 1_000_000, $"filter [{filter}] was accepted and let every row through");
    }
}
