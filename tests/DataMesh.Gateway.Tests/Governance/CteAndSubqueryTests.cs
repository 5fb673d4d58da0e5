using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// CTE scoping as SQL defines it, and the asset referenced from every clause a subquery can hide in: each answer is
/// the answer over the granted rows alone (the in-process oracle runs the same SQL over the materialised grant).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CteAndSubqueryTests(GatewayFixture gateway)
{
    [Fact]
    [Adversarial(AttackClass.CteShadowing)]
    [CoversTableRef(TableRefKind.BaseTable, "WITH mkt_sls_table AS (SELECT 1 AS x) SELECT * FROM mkt_sls_table")]
    public async Task A_user_CTE_named_like_the_asset_shadows_it()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var (columns, rows) = await s.TableAsync("WITH mkt_sls_table AS (SELECT 1 AS x) SELECT * FROM mkt_sls_table");
        Assert.Equal(["x"], columns);
        Assert.Equal(1, Convert.ToInt32(Assert.Single(rows)[0]));
    }

    [Theory]
    [Adversarial(AttackClass.CteShadowing)]
    [InlineData("WITH mkt_sls_table AS (SELECT * FROM marketing.mkt_sls_table WHERE item_id < 100) SELECT count(*) FROM mkt_sls_table")]
    [InlineData("WITH mkt_sls_table AS (SELECT * FROM mkt_sls_table WHERE item_id < 100) SELECT count(*) FROM mkt_sls_table")]
    [InlineData("WITH RECURSIVE mkt_sls_table(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM mkt_sls_table WHERE n < 3) SELECT count(*) FROM mkt_sls_table")]
    [InlineData("WITH __datamesh_src AS (SELECT 'Asia' AS region, 1 AS item_id) SELECT count(*) FROM mkt_sls_table")]
    [InlineData("WITH read_parquet AS (SELECT 1 AS x), marketing AS (SELECT 2 AS y) SELECT count(*) FROM marketing.mkt_sls_table")]
    [InlineData("WITH s AS MATERIALIZED (SELECT * FROM mkt_sls_table) SELECT count(*), max(region) FROM s")]
    [InlineData("WITH a AS (SELECT * FROM mkt_sls_table), b AS (SELECT * FROM a WHERE region = 'Asia') SELECT count(*) FROM b")]
    [InlineData("WITH t AS (SELECT count(*) FROM mkt_sls_table) SELECT * FROM t")]
    [InlineData("WITH mkt_sls_table AS (SELECT 1 AS x) SELECT (SELECT count(*) FROM marketing.mkt_sls_table), (SELECT count(*) FROM mkt_sls_table)")]
    [InlineData("SELECT (WITH mkt_sls_table AS (SELECT 1 AS x) SELECT count(*) FROM mkt_sls_table), (SELECT count(*) FROM mkt_sls_table)")]
    [InlineData("WITH mkt_sls_table AS (SELECT 1 AS x) SELECT * FROM (WITH c AS (SELECT count(*) AS n FROM marketing.mkt_sls_table) SELECT * FROM c)")]
    public async Task CTEs_shadow_exactly_as_SQL_scopes_them_and_never_capture_the_source(string sql)
    {
        var truth = Truth.For(gateway);
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.AssertSameAsTruthAsync(truth, sql);
    }

    [Theory]
    [Adversarial(AttackClass.OutOfScopeCte)]
    [InlineData("SELECT * FROM (WITH c AS (SELECT 1 AS x) SELECT * FROM c) s, c")]
    [InlineData("WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS y) SELECT * FROM a")]
    [InlineData("SELECT (WITH c AS (SELECT 1 AS x) SELECT x FROM c), (SELECT x FROM c)")]
    [InlineData("SELECT * FROM (WITH __datamesh_src AS (SELECT 1 AS x) SELECT * FROM __datamesh_src) s, __datamesh_src")]
    public async Task A_CTE_referenced_out_of_its_scope_reaches_nothing(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.ErrorAsync(sql, "42P01", "42501");
    }

    public static readonly TheoryData<string, bool> EveryClause = new()
    {
        { "SELECT (SELECT count(*) FROM mkt_sls_table)", false },
        { "SELECT count(*) FROM range(1, 20) r(i) WHERE i IN (SELECT item_id FROM mkt_sls_table)", false },
        { "SELECT count(*) FROM range(1, 20) r(i) WHERE EXISTS (SELECT 1 FROM mkt_sls_table m WHERE m.item_id = r.i)", false },
        { "SELECT count(*) FROM range(1, 20) r(i) WHERE i = ANY (SELECT item_id FROM mkt_sls_table)", false },
        { "SELECT i FROM range(1, 6) r(i) ORDER BY (SELECT count(*) FROM mkt_sls_table m WHERE m.item_id = r.i) DESC, i LIMIT 1", true },
        { "SELECT count(*) FROM (SELECT i FROM range(1000000) r(i) LIMIT (SELECT count(*) FROM mkt_sls_table WHERE item_id <= 20))", false },
        { "SELECT count(*) FROM (SELECT i FROM range(100) r(i) OFFSET (SELECT count(*) FROM mkt_sls_table WHERE item_id <= 40))", false },
        { "SELECT count(*) FROM (SELECT i FROM range(10) r(i) QUALIFY row_number() OVER () <= (SELECT count(*) FROM mkt_sls_table WHERE item_id <= 12))", false },
        { "SELECT sum(c) FROM (SELECT count(*) OVER (PARTITION BY i IN (SELECT item_id FROM mkt_sls_table)) AS c FROM range(1, 9) r(i))", false },
        { "SELECT max(s) FROM (SELECT sum(i) OVER (ORDER BY i ROWS BETWEEN (SELECT count(*) FROM mkt_sls_table WHERE item_id <= 8) PRECEDING AND CURRENT ROW) s FROM range(10) r(i))", false },
        { "SELECT count(*) FROM (SELECT * FROM mkt_sls_table USING SAMPLE 100 PERCENT (bernoulli))", false },
        { "SELECT DISTINCT region FROM mkt_sls_table USING SAMPLE 50 PERCENT (bernoulli)", false },
        { "SELECT * REPLACE ((SELECT count(*) FROM mkt_sls_table) AS i) FROM range(1) r(i)", false },
        { "SELECT abs((SELECT count(*) FROM mkt_sls_table)), list_sum((SELECT list(sales_qty_sld) FROM mkt_sls_table WHERE item_id <= 40))", false },
        { "SELECT count(*) FROM range(1, 9) r(i), LATERAL (SELECT * FROM mkt_sls_table m WHERE m.item_id = r.i) l", false },
        { "SELECT count(*) FROM (SELECT item_id FROM mkt_sls_table UNION ALL SELECT item_id FROM marketing.mkt_sls_table)", false },
        { "SELECT region FROM mkt_sls_table EXCEPT SELECT 'Europe'", false },
        { "SELECT DISTINCT region FROM mkt_sls_table INTERSECT SELECT unnest(['Asia', 'Europe', 'South America'])", false },
        { "SELECT * FROM (VALUES ((SELECT count(*) FROM mkt_sls_table)), ((SELECT count(DISTINCT region) FROM mkt_sls_table))) v(c)", false },
        { "SELECT count(*) FROM range(3) r(i) GROUP BY i % 1 HAVING count(*) < (SELECT count(*) FROM mkt_sls_table)", false },
        { "SELECT count(*) FROM range(5) a(i) JOIN range(5) b(j) ON a.i = b.j AND (SELECT count(*) FROM mkt_sls_table WHERE region = 'Asia') > 0", false },
        { "SELECT CASE WHEN (SELECT count(*) FROM mkt_sls_table WHERE region = 'Asia') > 0 THEN 'leak' ELSE 'ok' END", false },
        { "SELECT coalesce((SELECT max(region) FROM mkt_sls_table), 'none')", false },
        { "SELECT (SELECT (SELECT count(*) FROM (SELECT * FROM (SELECT * FROM mkt_sls_table) a) b))", false },
        { "SELECT count(*) FROM mkt_sls_table a WHERE a.amount > (SELECT avg(amount) FROM mkt_sls_table b WHERE b.sales_qty_sld = a.sales_qty_sld)", false },
        { "SELECT list_transform([1, 2], x -> x + (SELECT count(*) FROM mkt_sls_table WHERE region = 'Asia'))", false },
        { "SELECT count(*) FROM mkt_sls_table WHERE item_id IN (SELECT item_id + 1 FROM mkt_sls_table) OR item_id IN (SELECT item_id - 1 FROM mkt_sls_table)", false },
        { "SELECT min(item_id), max(item_id), min(region), max(region), min(sale_date), max(sale_date), min(amount), max(amount) FROM mkt_sls_table", false },
        { "SELECT count(*) FROM (SELECT * FROM mkt_sls_table ORDER BY item_id LIMIT 10 OFFSET 5)", false },
        { "SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 3", true },
        { "SELECT region, sum(amount) FROM mkt_sls_table GROUP BY ROLLUP (region)", false },
    };

    [Theory]
    [Adversarial(AttackClass.NestedSubquery)]
    [CoversTableRef(TableRefKind.ExpressionList, "SELECT * FROM (VALUES ((SELECT count(*) FROM mkt_sls_table))) v(c)")]
    [CoversTableRef(TableRefKind.Empty, "SELECT (SELECT count(*) FROM mkt_sls_table)")]
    [MemberData(nameof(EveryClause))]
    public async Task The_asset_in_every_clause_is_governed(string sql, bool ordered)
    {
        var truth = Truth.For(gateway);
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.AssertSameAsTruthAsync(truth, sql, ordered);
    }

    [Theory]
    [Adversarial(AttackClass.NestedSubquery)]
    [CoversTableRef(TableRefKind.Pivot, "SELECT * FROM (SELECT region, amount FROM mkt_sls_table) PIVOT (count(*) FOR region IN ('Europe', 'Asia'))")]
    [CoversStatement(DuckDB.NET.Native.DuckDBStatementType.Multi)]
    [InlineData("PIVOT (SELECT region, amount FROM mkt_sls_table WHERE item_id <= 100) ON region USING count(*)")]
    [InlineData("SELECT * FROM (SELECT region, amount FROM mkt_sls_table) PIVOT (count(*) FOR region IN ('Europe', 'Asia'))")]
    [InlineData("SELECT * FROM (PIVOT (SELECT region, sales_qty_sld FROM mkt_sls_table) ON region USING sum(sales_qty_sld) GROUP BY sales_qty_sld) p ORDER BY ALL")]
    [InlineData("PIVOT mkt_sls_table ON region USING count(*) GROUP BY sales_qty_sld")]
    [InlineData("SELECT count(*) FROM (UNPIVOT (SELECT item_id, sales_qty_sld, CAST(item_id AS INTEGER) AS x FROM mkt_sls_table WHERE item_id <= 100) ON sales_qty_sld, x INTO NAME k VALUE v)")]
    public async Task Pivots_see_only_the_granted_rows(string sql)
    {
        var truth = Truth.For(gateway);
        await using var s = await GovernedSession.OpenAsync(gateway);
        // A pivot's columns are the values it finds: only Europe may appear.
        var (error, rows) = await s.TryAsync(sql);
        if (error is not null && error.SqlState is "42501" or "0A000") return; // refusing PIVOT is a safe answer
        await s.AssertSameAsTruthAsync(truth, sql, sql.Contains("ORDER BY", StringComparison.Ordinal));
        Assert.DoesNotContain(GovernedSession.Texts(rows), v => v is "Asia" or "North America" or "South America");
    }
}
