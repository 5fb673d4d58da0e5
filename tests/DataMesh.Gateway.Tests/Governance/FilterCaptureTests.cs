using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// The grant's filter names <c>region</c>; a user column, alias or CTE of that name (or of the rewrite's own alias)
/// must never bind to it (REFERENCE.md, "Filter columns bound to the user's columns"). Every query's answer is the
/// one over the Europe rows alone.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class FilterCaptureTests(GatewayFixture gateway)
{
    [Theory]
    [Adversarial(AttackClass.FilterCapture)]
    [CoversTableRef(TableRefKind.Join, "SELECT count(*) FROM (SELECT 'Europe' AS region) r, mkt_sls_table m")]
    [InlineData("SELECT count(*) FROM (SELECT 'Europe' AS region) r, mkt_sls_table m")]
    [InlineData("SELECT count(*) FROM (SELECT 'Asia' AS region) r CROSS JOIN marketing.mkt_sls_table m")]
    [InlineData("SELECT count(*) FROM mkt_sls_table AS __datamesh_src")]
    [InlineData("SELECT count(*) FROM mkt_sls_table AS region")]
    [InlineData("SELECT count(*) FROM mkt_sls_table m, (SELECT 1 AS __datamesh_src, 'Asia' AS region) x")]
    [InlineData("WITH region AS (SELECT 'Asia' AS region) SELECT count(*) FROM region, mkt_sls_table")]
    [InlineData("WITH __datamesh_src AS (SELECT 'Asia' AS region) SELECT count(*) FROM __datamesh_src, mkt_sls_table")]
    [InlineData("SELECT (SELECT count(*) FROM mkt_sls_table) FROM (SELECT 'Asia' AS region) o")]
    [InlineData("SELECT count(*) FROM (SELECT 'Asia' AS region) o WHERE EXISTS (SELECT 1 FROM mkt_sls_table WHERE item_id = 1)")]
    [InlineData("SELECT count(*) FROM (SELECT 'x' AS region) r, LATERAL (SELECT * FROM mkt_sls_table) m")]
    [InlineData("SELECT count(*) FROM (SELECT 'Asia' AS region) r JOIN mkt_sls_table m USING (region)")]
    [InlineData("SELECT count(*) FROM (SELECT 'Asia' AS region) r NATURAL JOIN mkt_sls_table m")]
    [InlineData("SELECT count(*) FROM (SELECT 'Europe' AS region) r, (SELECT * FROM mkt_sls_table) m WHERE m.region <> 'Europe'")]
    [InlineData("SELECT count(*) FROM mkt_sls_table m, (SELECT 1) __datamesh_src(region)")]
    [InlineData("SELECT max(m.region) FROM (SELECT 'Europe' AS region, 'Europe' AS Region) r, mkt_sls_table m")]
    [InlineData("SELECT count(*) FROM mkt_sls_table t(region)")]
    [InlineData("SELECT count(*) FROM mkt_sls_table t(a, b, region)")]
    [InlineData("SELECT count(DISTINCT region), max(region) FROM mkt_sls_table t(region)")]
    public async Task A_user_name_equal_to_the_filter_column_or_the_rewrite_alias_changes_nothing(string sql)
    {
        var truth = Truth.For(gateway);
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.AssertSameAsTruthAsync(truth, sql);
    }

    [Fact]
    [Adversarial(AttackClass.FilterCapture)]
    public async Task Hidden_rows_really_exist_for_these_queries()
    {
        // Without this, a capture test could pass because the data had no hidden rows at all.
        var truth = Truth.For(gateway);
        Assert.Equal(1_000_000L, truth.Count("SELECT count(*) FROM all_sales"));
        Assert.Equal(250_000L, truth.Count("SELECT count(*) FROM mkt_sls_table"));
        await using var s = await GovernedSession.OpenAsync(gateway);
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE region <> 'Europe'"));
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE item_id % 4 <> 0"));
    }
}
