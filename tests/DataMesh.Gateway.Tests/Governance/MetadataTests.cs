using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Whatever bob asks the catalog views, he sees ml_research's grants only: mkt_sls_table with its five visible
/// columns; not campaigns (no subscription), not draft_forecast (unpublished), never customer_email, never paths.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class MetadataTests(GatewayFixture gateway)
{
    private static readonly string[] NeverListed = ["campaigns", "draft_forecast", "customer_email", "forecast_amount", "budget"];

    private static void AssertNothingUngranted(IEnumerable<string> texts, string dataDirectory, string sql)
    {
        foreach (var v in texts)
        {
            foreach (var name in NeverListed)
                Assert.False(v.Contains(name, StringComparison.OrdinalIgnoreCase), $"[{sql}] lists {name}: {v}");
            Assert.DoesNotContain(dataDirectory, v, StringComparison.Ordinal);
            Assert.DoesNotContain("read_parquet", v, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("acct_marketing", v, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("'Europe'", v, StringComparison.Ordinal);
        }
    }

    [Theory]
    [Adversarial(AttackClass.Metadata)]
    [InlineData("SELECT * FROM information_schema.tables")]
    [InlineData("SELECT * FROM information_schema.columns")]
    [InlineData("SELECT * FROM information_schema.schemata")]
    [InlineData("SELECT * FROM information_schema.views")]
    [InlineData("SELECT * FROM pg_catalog.pg_class")]
    [InlineData("SELECT * FROM pg_catalog.pg_attribute")]
    [InlineData("SELECT * FROM pg_catalog.pg_namespace")]
    [InlineData("SELECT * FROM pg_catalog.pg_tables")]
    [InlineData("SELECT * FROM pg_catalog.pg_views")]
    [InlineData("SELECT * FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid")]
    [InlineData("SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_name LIKE '%'")]
    public async Task Catalog_views_list_only_the_granted_assets_and_columns(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var (error, rows) = await s.TryAsync(sql);
        if (error is not null) return; // refusing a view is safe; its error text was leak-checked
        AssertNothingUngranted(GovernedSession.Texts(rows), gateway.Host.DataDirectory, sql);
    }

    [Fact]
    [Adversarial(AttackClass.Metadata)]
    public async Task Information_schema_shows_the_subscribed_asset_with_its_visible_columns()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var tables = await s.RowsAsync("SELECT table_name FROM information_schema.tables WHERE table_schema NOT IN ('information_schema', 'pg_catalog')");
        Assert.Contains("mkt_sls_table", GovernedSession.Texts(tables));
        var columns = await s.RowsAsync("SELECT column_name FROM information_schema.columns WHERE table_name = 'mkt_sls_table' ORDER BY ordinal_position");
        Assert.Equal(["item_id", "sales_qty_sld", "region", "sale_date", "amount"], GovernedSession.Texts(columns));
        var attributes = await s.RowsAsync("SELECT a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON a.attrelid = c.oid WHERE c.relname = 'mkt_sls_table' AND a.attnum > 0");
        Assert.Equal(["amount", "item_id", "region", "sale_date", "sales_qty_sld"], GovernedSession.Texts(attributes).Order(StringComparer.Ordinal));
    }

    [Theory]
    [Adversarial(AttackClass.Metadata)]
    [CoversTableRef(TableRefKind.ShowRef, "DESCRIBE marketing.mkt_sls_table")]
    [CoversStatement(DuckDB.NET.Native.DuckDBStatementType.Show)]
    [InlineData("DESCRIBE marketing.mkt_sls_table")]
    [InlineData("DESCRIBE mkt_sls_table")]
    [InlineData("DESCRIBE SELECT * FROM mkt_sls_table")]
    [InlineData("SHOW marketing.mkt_sls_table")]
    [InlineData("SHOW TABLES")]
    [InlineData("SHOW ALL TABLES")]
    [InlineData("SUMMARIZE mkt_sls_table")]
    [InlineData("SUMMARIZE SELECT * FROM mkt_sls_table")]
    [InlineData("DESCRIBE marketing.campaigns")]
    [InlineData("DESCRIBE marketing.draft_forecast")]
    public async Task Describe_show_and_summarize_see_only_the_grant(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var (error, rows) = await s.TryAsync(sql);
        if (sql.Contains("campaigns", StringComparison.Ordinal) || sql.Contains("draft_forecast", StringComparison.Ordinal))
        {
            Assert.True(error is not null, $"[{sql}] described an asset bob has no grant on");
            return;
        }
        if (error is not null) return;
        var texts = GovernedSession.Texts(rows).ToList();
        AssertNothingUngranted(texts, gateway.Host.DataDirectory, sql);
        // SUMMARIZE reports min/max: over the granted rows they are Europe, never another region.
        Assert.DoesNotContain(texts, v => v is "Asia" or "North America" or "South America");
        if (sql.StartsWith("DESCRIBE marketing.mkt_sls_table", StringComparison.Ordinal))
            Assert.Equal(5, rows.Count);
        if (sql == "SHOW TABLES")
            Assert.Contains("mkt_sls_table", texts);
    }

    [Theory]
    [Adversarial(AttackClass.Metadata)]
    [InlineData("SELECT * FROM duckdb_columns()")]
    [InlineData("SELECT * FROM duckdb_tables()")]
    [InlineData("SELECT sql FROM duckdb_views()")]
    [InlineData("SELECT * FROM pragma_show('mkt_sls_table')")]
    [InlineData("SELECT system.pg_catalog.pg_get_viewdef('marketing.mkt_sls_table'::regclass)")]
    public async Task Engine_catalog_functions_are_refused(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.ErrorAsync(sql, "42501", "0A000");
    }

    /// <summary>The emulation's printers of definitions answer, with nothing: no view, default or filter is printed.</summary>
    [Theory]
    [InlineData("SELECT pg_get_viewdef('marketing.mkt_sls_table'::regclass)")]
    [InlineData("SELECT pg_catalog.pg_get_viewdef('marketing.mkt_sls_table'::pg_catalog.regclass, true)")]
    [InlineData("SELECT pg_catalog.pg_get_expr(NULL, 'marketing.mkt_sls_table'::regclass, true)")]
    public async Task Emulated_definition_printers_print_nothing(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        Assert.Null(Assert.Single(await s.RowsAsync(sql))[0]);
    }
}
