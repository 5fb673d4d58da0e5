using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Everything in FROM that is not a granted asset or an allowed generator, and every function that reads engine
/// state: refused before the engine runs anything (42501 or 0A000). {root} stands for the producer's real directory.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class FileAndFunctionTests(GatewayFixture gateway)
{
    private static readonly string[] Refused = ["42501", "0A000"];

    private string Fill(string sql) => sql.Replace("{root}", TruthDatabase.MarketingRoot(gateway), StringComparison.Ordinal);

    [Theory]
    [Adversarial(AttackClass.FilePath)]
    [CoversTableRef(TableRefKind.BaseTable, "SELECT * FROM '/etc/passwd'")]
    [InlineData("SELECT * FROM '/etc/passwd'")]
    [InlineData("SELECT * FROM \"x.parquet\"")]
    [InlineData("SELECT count(*) FROM '{root}/sales/mkt_sls_table.parquet'")]
    [InlineData("SELECT count(*) FROM '{root}/sales/*.parquet'")]
    [InlineData("SELECT count(*) FROM \"{root}/sales/*.parquet\"")]
    [InlineData("SELECT * FROM 'sales/mkt_sls_table.parquet'")]
    [InlineData("SELECT * FROM '{root}/drafts/draft_forecast.parquet'")]
    [InlineData("SELECT * FROM '{root}/sales/../campaigns/campaigns.parquet'")]
    [InlineData("SELECT * FROM mkt_sls_table m JOIN '{root}/campaigns/*.parquet' c ON true LIMIT 1")]
    [InlineData("SELECT * FROM '/etc/hostname.csv'")]
    [InlineData("SELECT * FROM 's3://bucket/x.parquet'")]
    public async Task File_paths_as_table_names_are_refused(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.ErrorAsync(Fill(sql), Refused);
    }

    [Theory]
    [Adversarial(AttackClass.TableFunction)]
    [CoversTableRef(TableRefKind.TableFunction, "SELECT * FROM read_csv('/etc/passwd')")]
    [InlineData("SELECT count(*) FROM read_parquet('{root}/sales/*.parquet')")]
    [InlineData("SELECT count(*) FROM parquet_scan('{root}/sales/*.parquet')")]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')")]
    [InlineData("SELECT * FROM read_csv_auto('/etc/passwd')")]
    [InlineData("SELECT * FROM read_text('/etc/hostname')")]
    [InlineData("SELECT * FROM read_blob('{root}/sales/mkt_sls_table.parquet')")]
    [InlineData("SELECT * FROM read_json('/etc/passwd')")]
    [InlineData("SELECT * FROM glob('{root}/*')")]
    [InlineData("SELECT * FROM glob('*')")]
    [InlineData("SELECT * FROM parquet_metadata('{root}/sales/mkt_sls_table.parquet')")]
    [InlineData("SELECT * FROM parquet_schema('{root}/sales/mkt_sls_table.parquet')")]
    [InlineData("SELECT * FROM parquet_kv_metadata('{root}/sales/mkt_sls_table.parquet')")]
    [InlineData("SELECT * FROM query('SELECT 1')")]
    [InlineData("SELECT * FROM query('SELECT * FROM marketing.mkt_sls_table')")]
    [InlineData("SELECT * FROM query_table('mkt_sls_table')")]
    [InlineData("SELECT * FROM sniff_csv('/etc/passwd')")]
    [InlineData("SELECT * FROM duckdb_settings()")]
    [InlineData("SELECT * FROM duckdb_tables()")]
    [InlineData("SELECT * FROM duckdb_views()")]
    [InlineData("SELECT * FROM duckdb_databases()")]
    [InlineData("SELECT * FROM duckdb_secrets()")]
    [InlineData("SELECT * FROM pragma_table_info('mkt_sls_table')")]
    [InlineData("SELECT * FROM pragma_database_list()")]
    [InlineData("SELECT * FROM sql_auto_complete('SELECT * FROM ')")]
    [InlineData("SELECT * FROM json_execute_serialized_sql('{}')")]
    [InlineData("SELECT * FROM json_each('{\"a\": 1}')")]
    [InlineData("SELECT * FROM repeat_row(1, num_rows := 3)")]
    [InlineData("SELECT * FROM summary(mkt_sls_table)")]
    [InlineData("SELECT * FROM system.main.range(3)")]
    [InlineData("SELECT * FROM checkpoint()")]
    [InlineData("SELECT * FROM enable_profiling()")]
    public async Task Table_functions_outside_the_allow_list_are_refused(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        // system.main.range is the allowed generator, qualified: refusing it is fine, running it is fine too.
        if (sql.Contains("system.main.range", StringComparison.Ordinal))
        {
            var (error, rows) = await s.TryAsync(sql);
            Assert.True(error is not null || rows.Count == 3);
            return;
        }
        await s.ErrorAsync(Fill(sql), Refused);
    }

    [Theory]
    [Adversarial(AttackClass.TableFunction)]
    [CoversTableRef(TableRefKind.TableFunction, "SELECT * FROM range(3) r(i)")]
    [InlineData("SELECT count(*) FROM range(3) r(i)", 3)]
    [InlineData("SELECT count(*) FROM generate_series(1, 4) g(i)", 4)]
    [InlineData("SELECT count(*) FROM unnest([1, 2, 3, 4, 5]) u(v)", 5)]
    [InlineData("SELECT count(*) FROM range((SELECT count(*) FROM mkt_sls_table WHERE item_id <= 100))", 25)]
    [InlineData("SELECT count(*) FROM unnest((SELECT list(region) FROM mkt_sls_table WHERE item_id <= 100))", 25)]
    public async Task The_allowed_generators_work_and_their_arguments_are_governed(string sql, long expected)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        Assert.Equal(expected, await s.CountAsync(sql));
    }

    [Theory]
    [Adversarial(AttackClass.WrappedTableFunction)]
    [InlineData("SELECT (SELECT count(*) FROM read_parquet('{root}/sales/*.parquet'))")]
    [InlineData("SELECT * FROM range((SELECT count(*) FROM glob('/*')))")]
    [InlineData("SELECT * FROM unnest((SELECT list(x) FROM read_csv('/etc/passwd') t(x)))")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE item_id IN (SELECT item_id FROM read_parquet('{root}/sales/*.parquet') WHERE region = 'Asia')")]
    [InlineData("SELECT system.main.format_type(23, -1)")]
    [InlineData("SELECT system.pg_catalog.pg_get_viewdef(1)")]
    [InlineData("SELECT memory.main.pg_get_constraintdef(1)")]
    [InlineData("SELECT get_block_size('memory')")]
    [InlineData("SELECT * FROM histogram_values(mkt_sls_table, region)")]
    [InlineData("SELECT * FROM histogram(mkt_sls_table, region)")]
    [InlineData("SELECT * FROM duckdb_logs_parsed('QueryLog')")]
    [InlineData("SELECT list_aggregate([1, 2], 'stats')")]
    [InlineData("SELECT list_transform([1], x -> (SELECT count(*) FROM glob('/*')))")]
    [InlineData("WITH f AS (SELECT * FROM read_text('/etc/hostname')) SELECT * FROM f")]
    public async Task Table_functions_wrapped_in_expressions_macros_and_subqueries_are_refused(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.ErrorAsync(Fill(sql), Refused);
    }

    [Theory]
    [Adversarial(AttackClass.CatalogQualifiedName)]
    [InlineData("SELECT * FROM memory.main.mkt_sls_table")]
    [InlineData("SELECT * FROM memory.marketing.mkt_sls_table")]
    [InlineData("SELECT * FROM \"memory\".\"marketing\".\"mkt_sls_table\"")]
    [InlineData("SELECT * FROM system.main.x")]
    [InlineData("SELECT * FROM system.information_schema.schemata")]
    [InlineData("SELECT * FROM temp.main.x")]
    [InlineData("SELECT * FROM ml_research.marketing.mkt_sls_table")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE item_id IN (SELECT item_id FROM memory.marketing.mkt_sls_table)")]
    public async Task Catalog_qualified_names_are_refused(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.ErrorAsync(sql, "42501", "0A000", "42P01");
    }

    [Theory]
    [Adversarial(AttackClass.TimeTravel)]
    [InlineData("SELECT * FROM mkt_sls_table AT (VERSION => 1)")]
    [InlineData("SELECT * FROM marketing.mkt_sls_table AT (TIMESTAMP => TIMESTAMP '2020-01-01')")]
    public async Task AT_clauses_are_refused(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.ErrorAsync(sql, Refused);
    }

    [Theory]
    [Adversarial(AttackClass.SettingsAndState)]
    [InlineData("SELECT current_setting('memory_limit')")]
    [InlineData("SELECT current_setting('allowed_directories')")]
    [InlineData("SELECT system.main.current_setting('allowed_paths')")]
    [InlineData("SELECT pg_catalog.CURRENT_SETTING('temp_directory')")]
    [InlineData("SELECT getvariable('datamesh_user')")]
    [InlineData("SELECT current_query()")]
    [InlineData("SELECT \"system\".main.current_query()")]
    [InlineData("SELECT stats(amount) FROM mkt_sls_table")]
    [InlineData("SELECT stats(item_id) FROM mkt_sls_table LIMIT 1")]
    [InlineData("SELECT error('x')")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE CASE WHEN item_id = 1 THEN error('row 1 exists') ELSE true END")]
    [InlineData("SELECT nextval('s')")]
    [InlineData("SELECT currval('s')")]
    [InlineData("SELECT json_serialize_sql('SELECT 1')")]
    [InlineData("SELECT json_serialize_plan('SELECT 1')")]
    [InlineData("SELECT system.main.current_schemas(true)")]
    [InlineData("SELECT getenv('HOME')")]
    [InlineData("SELECT system.main.version()")]
    [InlineData("SELECT sleep_ms(100000)")]
    [InlineData("SELECT region FROM mkt_sls_table ORDER BY current_setting('threads') LIMIT 1")]
    public async Task Settings_and_state_functions_are_refused(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var e = await s.ErrorAsync(sql, Refused);
        Assert.DoesNotContain("memory_limit =", e.MessageText, StringComparison.Ordinal);
    }
}
