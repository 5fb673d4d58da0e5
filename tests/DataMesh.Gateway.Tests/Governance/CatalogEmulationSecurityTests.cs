using System.Collections;
using System.Data;
using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Adversarial reads of the pg_catalog / information_schema emulation by a consumer whose grant hides a column,
/// filters rows and leaves other assets invisible: no catalog relation or function may name a hidden asset or
/// column, print the row filter, a path or an engine setting, and the ways around the emulation (qualified names
/// that would reach DuckDB's own catalog or built-ins) are refused.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CatalogEmulationSecurityTests(GatewayFixture fixture)
{
    private const string FilterMarker = "zq_sec_filter";

    private static readonly string[] Secrets =
    [
        "customer_email", FilterMarker, "campaigns", "draft_forecast", ".parquet", "read_parquet", "acct_marketing",
        "temp_directory", "allowed_directories", "memory_limit", "carol", "alice",
    ];

    private async Task<GovernedSession> ConsumerAsync()
    {
        var scenario = await GrantScenario.CreateAsync(fixture, "catsec");
        await scenario.SubscribeAsync("mkt_sls_table", $"WITH ROW FILTER (region <> '{FilterMarker}') EXCLUDE COLUMNS (customer_email)");
        return await scenario.OpenAsync();
    }

    public static TheoryData<string> Probes() =>
    [
        "SELECT * FROM pg_catalog.pg_class",
        "SELECT * FROM pg_catalog.pg_attribute",
        "SELECT * FROM pg_catalog.pg_description",
        "SELECT * FROM pg_catalog.pg_namespace",
        "SELECT * FROM pg_catalog.pg_proc",
        "SELECT * FROM pg_catalog.pg_settings",
        "SELECT * FROM pg_catalog.pg_roles",
        "SELECT * FROM pg_catalog.pg_user",
        "SELECT * FROM pg_catalog.pg_database",
        "SELECT * FROM pg_catalog.pg_tables",
        "SELECT * FROM pg_catalog.pg_stat_user_tables",
        "SELECT * FROM information_schema.columns",
        "SELECT * FROM information_schema.tables",
        "SELECT * FROM information_schema.schemata",
        "SELECT c.relname, pg_catalog.pg_get_expr(NULL, c.oid), pg_catalog.pg_get_expr(NULL, c.oid, true), pg_catalog.pg_get_viewdef(c.oid), pg_catalog.pg_get_viewdef(c.oid, true) FROM pg_catalog.pg_class c",
        "SELECT pg_catalog.obj_description(c.oid, 'pg_class'), pg_catalog.obj_description(c.oid), pg_catalog.col_description(c.oid, n) FROM pg_catalog.pg_class c, generate_series(0, 10) g(n)",
        "SELECT pg_catalog.pg_get_constraintdef(c.oid), pg_catalog.pg_get_indexdef(c.oid), pg_catalog.pg_get_triggerdef(c.oid), pg_catalog.pg_get_functiondef(c.oid) FROM pg_catalog.pg_class c",
        "SELECT pg_catalog.pg_table_size(c.oid), pg_catalog.pg_total_relation_size(c.oid), pg_catalog.pg_size_pretty(pg_catalog.pg_relation_size(c.oid)) FROM pg_catalog.pg_class c",
        "SELECT 'marketing.campaigns'::regclass, 'marketing.draft_forecast'::pg_catalog.regclass, to_regclass('campaigns')",
        "SELECT pg_catalog.current_schemas(true), current_schema(), pg_catalog.current_database(), current_user",
        "SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a",
        "SELECT * FROM pg_catalog.pg_get_keywords() WHERE word LIKE 'c%'",
        "SELECT proname, prosrc, probin FROM pg_catalog.pg_proc",
        // An asset the project cannot see is an unknown relation (42P01, EngineLimitTests); the visible one answers from the grant.
        "SELECT has_table_privilege('marketing.mkt_sls_table', 'SELECT'), has_column_privilege('marketing.mkt_sls_table', 'customer_email', 'SELECT')",
    ];

    [Theory]
    [MemberData(nameof(Probes))]
    public async Task CatalogReads_RevealNothingHidden(string sql)
    {
        await using var s = await ConsumerAsync();
        var (error, rows) = await s.TryAsync(sql); // errors and notices are leak-checked too
        Assert.True(error is null, $"[{sql}] failed: {error?.SqlState} {error?.MessageText}");
        foreach (var row in rows)
            foreach (var cell in row)
            {
                var text = Text(cell);
                foreach (var secret in Secrets)
                    if (!sql.Contains(secret, StringComparison.OrdinalIgnoreCase))
                        Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"[{sql}] reveals {secret}: {text}");
            }
    }

    [Fact]
    public async Task ParseIdent_Format_AndSchemaAcls_AnswerAsPostgres()
    {
        await using var s = await ConsumerAsync();
        var rows = await s.RowsAsync(
            "SELECT pg_catalog.parse_ident('marketing.\"Sales \"\"EU\"\"\"'), (parse_ident('Marketing.mkt_sls_table'))[1], " +
            "array_length(parse_ident('mkt_sls_table'), 1), format('%I.%I', 'marketing', 'Sales EU'), format('%s|%L|%L', NULL, 'it''s', NULL), " +
            "(SELECT count(*) FROM pg_catalog.pg_namespace n WHERE pg_catalog.array_length(n.nspacl, 1) = 0)");
        var row = Assert.Single(rows);
        Assert.Equal(["marketing", "Sales \"EU\""], Assert.IsType<string[]>(row[0]));
        Assert.Equal("marketing", row[1]);
        Assert.Equal(1, Convert.ToInt32(row[2], CultureInfo.InvariantCulture));
        Assert.Equal("marketing.\"Sales EU\"", row[3]);
        Assert.Equal("|'it''s'|NULL", row[4]);
        Assert.Equal(0L, Convert.ToInt64(row[5], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task QuoteLiteral_TableOid_AndOptionRows_AnswerAsPostgres()
    {
        await using var s = await ConsumerAsync();
        var rows = await s.RowsAsync(
            "SELECT pg_catalog.quote_literal('it''s'), quote_literal(E'a\\\\b'), quote_literal(42), quote_literal(NULL::text), " +
            "(SELECT DISTINCT c.tableoid FROM pg_catalog.pg_class c), (SELECT DISTINCT t.tableoid FROM pg_catalog.pg_type t), " +
            "'pg_ts_dict'::regclass::oid, pg_catalog.getdatabaseencoding(), " +
            "(SELECT string_agg(option_name || ':' || coalesce(option_value, '-'), ',') FROM pg_catalog.pg_options_to_table(ARRAY['host=h=1', 'x'])), " +
            "(SELECT count(*) FROM pg_catalog.pg_description d JOIN pg_catalog.pg_class c ON d.classoid = c.tableoid AND d.objoid = c.oid)");
        var row = Assert.Single(rows);
        Assert.Equal("'it''s'", row[0]);
        Assert.Equal("E'a\\\\b'", row[1]);
        Assert.Equal("'42'", row[2]);
        Assert.Null(row[3]);
        Assert.Equal(1259L, Convert.ToInt64(row[4], CultureInfo.InvariantCulture));
        Assert.Equal(1247L, Convert.ToInt64(row[5], CultureInfo.InvariantCulture));
        Assert.Equal(3600L, Convert.ToInt64(row[6], CultureInfo.InvariantCulture));
        Assert.Equal("UTF8", row[7]);
        Assert.Equal("host:h=1,x:-", row[8]);
        // The visible asset's description (and its columns' rows, objsubid > 0) join through tableoid as in PostgreSQL.
        Assert.True(Convert.ToInt64(row[9], CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task RowCountsAndSizes_AreNeverReported()
    {
        await using var s = await ConsumerAsync();
        var rows = await s.RowsAsync("SELECT n_live_tup, seq_tup_read, pg_catalog.pg_table_size(relid) FROM pg_catalog.pg_stat_user_tables");
        var row = Assert.Single(rows);
        Assert.Equal(0L, Convert.ToInt64(row[0], CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(row[1], CultureInfo.InvariantCulture));
        Assert.Null(row[2]);
    }

    [Fact]
    public async Task HiddenAssetsAndColumns_AreAbsent_VisibleOnesPresent()
    {
        await using var s = await ConsumerAsync();
        var tables = (await s.RowsAsync("SELECT n.nspname || '.' || c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"))
            .Select(r => (string)r[0]!).ToList();
        Assert.Equal(["marketing.mkt_sls_table"], tables);
        var columns = (await s.RowsAsync("SELECT column_name, data_type FROM information_schema.columns ORDER BY ordinal_position"))
            .Select(r => $"{r[0]} {r[1]}").ToList();
        Assert.Equal(["item_id bigint", "sales_qty_sld integer", "region text", "sale_date date", "amount numeric"], columns);
        Assert.Null(Assert.Single(await s.RowsAsync("SELECT 'marketing.campaigns'::regclass"))[0]);
        var settings = (await s.RowsAsync("SELECT name FROM pg_catalog.pg_settings")).Select(r => (string)r[0]!).ToList();
        Assert.Contains("max_index_keys", settings);
        Assert.DoesNotContain("temp_directory", settings);
    }

    [Theory]
    [InlineData("SELECT * FROM system.pg_catalog.pg_settings")]
    [InlineData("SELECT * FROM system.pg_catalog.pg_class")]
    [InlineData("SELECT * FROM \"system\".\"information_schema\".\"columns\"")]
    [InlineData("SELECT * FROM main.pg_class")]
    [InlineData("SELECT * FROM information_schema.triggers")]
    [InlineData("SELECT system.pg_catalog.format_type(1, 1)")]
    [InlineData("SELECT main.pg_get_expr(NULL, 1)")]
    [InlineData("SELECT system.main.current_schemas(true)")]
    [InlineData("SELECT pg_catalog.current_setting('temp_directory')")]
    [InlineData("SELECT * FROM duckdb_settings()")]
    [InlineData("SELECT getvariable('datamesh_user')")]
    public async Task WaysAroundTheEmulation_AreRefused(string sql)
    {
        await using var s = await ConsumerAsync();
        await s.ErrorAsync(sql, "42501", "42P01", "0A000", "42883");
    }

    [Fact]
    public async Task CurrentSetting_ReadsTheGatewaysSessionSettings_AndFollowsSet()
    {
        await using var s = await ConsumerAsync();
        Assert.Equal("150018", Assert.Single(await s.RowsAsync("SELECT pg_catalog.current_setting('server_version_num')"))[0]);
        Assert.Equal("\"$user\", public", Assert.Single(await s.RowsAsync("SELECT current_setting('search_path')"))[0]);
        await s.RowsAsync("SET search_path TO marketing");
        Assert.Equal("marketing", Assert.Single(await s.RowsAsync("SELECT current_setting('search_path')"))[0]);
        Assert.Equal("UTC", Assert.Single(await s.RowsAsync("SELECT current_setting('timezone', true)"))[0]);
        await s.ErrorAsync("SELECT current_setting('memory_limit')", "42501");
        // A computed name reaches the gateway's settings map alone: an engine setting's name answers NULL.
        Assert.Null(Assert.Single(await s.RowsAsync("SELECT current_setting('temp' || '_directory')"))[0]);
    }

    [Fact]
    public async Task NpgsqlGetSchema_TablesAndColumns_AreScopedToTheGrants()
    {
        await using var s = await ConsumerAsync();
        var tables = s.Connection.GetSchema("Tables");
        var names = tables.Rows.Cast<DataRow>().Select(r => $"{r["table_schema"]}.{r["table_name"]}").ToList();
        Assert.Equal(["marketing.mkt_sls_table"], names);
        var columns = s.Connection.GetSchema("Columns", [null, "marketing", "mkt_sls_table"]);
        var columnNames = columns.Rows.Cast<DataRow>().OrderBy(r => Convert.ToInt32(r["ordinal_position"], CultureInfo.InvariantCulture))
            .Select(r => (string)r["column_name"]).ToList();
        Assert.Equal(["item_id", "sales_qty_sld", "region", "sale_date", "amount"], columnNames);
        Assert.Equal("bigint", columns.Rows.Cast<DataRow>().Single(r => (string)r["column_name"] == "item_id")["data_type"]);
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        IEnumerable list => string.Join(",", list.Cast<object?>().Select(Text)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
