using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Tests.Sql.Ast;

namespace DataMesh.Gateway.Tests.Policy.Functions;

public sealed class FunctionPolicyTests
{
    private static readonly FunctionPolicy Policy = FunctionPolicy.Default;

    private static IReadOnlyList<FunctionDecision> Refusals(string sql) => Policy.Refusals(AstTestEngine.Parse(sql));

    /// <summary>Each query is parsed by DuckDB; each must produce at least one refusal naming the expected function.</summary>
    public static readonly TheoryData<string, string> Adversarial = new()
    {
        { "SELECT current_setting('threads')", "current_setting" },
        { "SELECT system.main.current_setting('threads')", "current_setting" },
        { "SELECT main.current_setting('allowed_directories')", "current_setting" },
        { "SELECT CURRENT_SETTING('memory_limit')", "CURRENT_SETTING" },
        { "SELECT * FROM query('select 1')", "query" },
        { "SELECT * FROM query_table('secret_table')", "query_table" },
        { "FROM histogram_values(lineitem, l_orderkey)", "histogram_values" },
        { "FROM histogram(lineitem, l_orderkey)", "histogram" },
        { "SELECT getenv('HOME')", "getenv" },
        { "SELECT current_query()", "current_query" },
        { "SELECT pg_catalog.current_query()", "current_query" },
        { "SELECT stats(x) FROM t", "stats" },
        { "FROM read_csv('/etc/passwd')", "read_csv" },
        { "FROM read_csv_auto('/etc/passwd')", "read_csv_auto" },
        { "FROM glob('*')", "glob" },
        { "SELECT error('x')", "error" },
        { "SELECT * FROM t WHERE CASE WHEN id = 5 THEN error('found') ELSE true END", "error" },
        { "FROM duckdb_settings()", "duckdb_settings" },
        { "FROM pragma_database_list()", "pragma_database_list" },
        { "FROM pragma_table_info('t')", "pragma_table_info" },
        { "FROM pragma_storage_info('t')", "pragma_storage_info" },
        { "FROM duckdb_tables()", "duckdb_tables" },
        { "FROM system.main.duckdb_views()", "duckdb_views" },
        { "FROM duckdb_secrets()", "duckdb_secrets" },
        { "FROM duckdb_extensions()", "duckdb_extensions" },
        { "FROM duckdb_functions()", "duckdb_functions" },
        { "FROM parquet_metadata('data/x.parquet')", "parquet_metadata" },
        { "FROM parquet_schema('data/x.parquet')", "parquet_schema" },
        { "FROM parquet_kv_metadata('data/x.parquet')", "parquet_kv_metadata" },
        { "FROM read_parquet('/srv/data/other_tenant/*.parquet')", "read_parquet" },
        { "FROM read_blob('/etc/shadow')", "read_blob" },
        { "FROM read_text('/etc/hostname')", "read_text" },
        { "FROM read_json('x.json')", "read_json" },
        { "FROM sniff_csv('/etc/passwd')", "sniff_csv" },
        { "SELECT getvariable('datamesh_user')", "getvariable" },
        { "SELECT nextval('seq')", "nextval" },
        { "SELECT currval('seq')", "currval" },
        { "SELECT setseed(0.5)", "setseed" },
        { "SELECT system.pg_catalog.pg_get_viewdef(1)", "pg_get_viewdef" }, // DuckDB's; the unqualified name is the emulation's
        { "SELECT system.main.format_type(1, 2)", "format_type" },
        { "SELECT get_block_size('memory')", "get_block_size" },
        { "SELECT main.pg_get_constraintdef(1)", "pg_get_constraintdef" },
        { "SELECT system.main.current_schemas(true)", "current_schemas" },
        { "SELECT in_search_path('memory', 'main')", "in_search_path" },
        { "SELECT current_connection_id()", "current_connection_id" },
        { "SELECT txid_current()", "txid_current" },
        { "SELECT json_serialize_plan('SELECT * FROM t')", "json_serialize_plan" },
        { "FROM json_execute_serialized_sql('{}')", "json_execute_serialized_sql" },
        { "SELECT sleep_ms(100000)", "sleep_ms" },
        { "SELECT pg_sleep(100)", "pg_sleep" },
        { "SELECT write_log('x')", "write_log" },
        { "FROM enable_logging()", "enable_logging" },
        { "FROM checkpoint()", "checkpoint" },
        { "FROM sql_auto_complete('SELECT * FROM ')", "sql_auto_complete" },
        { "FROM which_secret('s3://bucket/x', 's3')", "which_secret" },
        { "FROM duckdb_logs_parsed('QueryLog')", "duckdb_logs_parsed" },
        { "FROM summary(t)", "summary" },
        { "SELECT vector_type(x) FROM t", "vector_type" },
        { "SELECT system.main.version()", "version" },
        { "SELECT pg_catalog.current_database()", "current_database" },
        { "SELECT system.main.current_user()", "current_user" },
        { "SELECT list_aggr([1, 2], x) FROM t", "list_aggr" },
        { "SELECT list_aggregate([1, 2], 'stats')", "list_aggregate" },
        { "SELECT my_udf(x) FROM t", "my_udf" },
        { "FROM arrow_scan(1, 2, 3)", "arrow_scan" },
        { "SELECT upper(x) FROM t WHERE x IN (SELECT current_setting('threads'))", "current_setting" },
        { "SELECT x FROM t ORDER BY current_query()", "current_query" },
        { "SELECT sum(x) OVER (PARTITION BY current_setting('threads')) FROM t", "current_setting" },
        { "WITH c AS (SELECT getvariable('x') AS v) SELECT * FROM c", "getvariable" },
        { "SELECT list_transform([1], y -> current_setting('threads'))", "current_setting" },
        { "SELECT __internal_decompress_string(1)", "__internal_decompress_string" },
        { "SELECT current_role", "current_role" },
        // Table functions outside the documented allow list, however harmless they look.
        { "SELECT * FROM json_each('{\"a\": 1}')", "json_each" },
        { "FROM json_tree('[1]')", "json_tree" },
        { "FROM repeat_row(1, num_rows := 1000000000000)", "repeat_row" },
        { "FROM repeat('x', 1000000000)", "repeat" },
    };

    [Theory]
    [MemberData(nameof(Adversarial))]
    public void Adversarial_calls_are_refused(string sql, string function)
    {
        var refusals = Refusals(sql);
        Assert.Contains(refusals, d => string.Equals(d.Call.FunctionName, function, StringComparison.OrdinalIgnoreCase));
        Assert.All(refusals, d => Assert.False(string.IsNullOrWhiteSpace(d.Reason)));
    }

    [Fact]
    public void There_are_at_least_forty_adversarial_queries() => Assert.True(Adversarial.Count >= 40);

    public static readonly TheoryData<string> Ordinary = new()
    {
        "SELECT region, sum(amount), count(*), avg(amount) FROM sales GROUP BY region",
        "SELECT lower(name), upper(name), substring(name, 1, 3), concat(a, b), replace(name, 'a', 'b'), trim(name) FROM t",
        "SELECT * FROM t WHERE name LIKE 'A%' OR name ILIKE '%b' OR regexp_matches(name, '^x') OR name SIMILAR TO 'a.*'",
        "SELECT date_trunc('month', ts), extract(year FROM ts), date_part('dow', ts), ts + INTERVAL 1 DAY, age(ts) FROM t",
        "SELECT CAST(x AS VARCHAR), x::DOUBLE, TRY_CAST(y AS INTEGER) FROM t",
        "SELECT coalesce(a, b), nullif(a, 0), greatest(a, b), least(a, b), CASE WHEN a > 0 THEN 'p' ELSE 'n' END FROM t",
        "SELECT row_number() OVER (PARTITION BY g ORDER BY x), rank() OVER w, lag(x) OVER w, lead(x, 2) OVER w, dense_rank() OVER w FROM t WINDOW w AS (ORDER BY x)",
        "SELECT stddev(x), variance(x), quantile_cont(x, 0.5), median(x), approx_count_distinct(x), string_agg(name, ',' ORDER BY name), list(x) FROM t",
        "SELECT * FROM range(10) r(i) JOIN generate_series(1, 5) g(j) ON i = j",
        "SELECT unnest([1, 2, 3]) AS v",
        "SELECT * FROM unnest([1, 2, 3]) u(v)",
        "SELECT current_user, session_user, current_database(), current_catalog, version(), pg_backend_pid()",
        "SELECT now(), random(), today(), current_date, current_timestamp, uuid()",
        "SELECT list_transform([1, 2], x -> x + 1), list_filter([1, 2], x -> x > 1), [1, 2][1], {'a': 1}.a, map_keys(MAP {'k': 1})",
        "SELECT abs(x), round(x, 2), floor(x), ceil(x), sqrt(x), power(x, 2), ln(x), log10(x), x % 3, x // 2 FROM t",
        "SELECT count(DISTINCT a) FILTER (WHERE b > 1), bool_and(c), arg_max(a, b), min_by(a, b), mode(a) FROM t",
        "SELECT list_aggr([1, 2, 3], 'sum'), list_sum([1, 2]), array_length([1]), json_extract('{\"a\":1}', '$.a')",
        "SELECT strftime(ts, '%Y'), strptime('2024-01-01', '%Y-%m-%d'), make_date(2024, 1, 1), epoch(ts) FROM t",
        "SELECT md5(name), hash(name), length(name), starts_with(name, 'a'), contains(name, 'b'), split_part(name, ',', 1) FROM t",
        "SELECT a FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY b DESC) = 1",
        "SELECT a, sum(b) FROM t GROUP BY ROLLUP (a) HAVING sum(b) > 10 ORDER BY 2 DESC LIMIT 10",
        "SELECT * FROM t1 JOIN t2 USING (id) WHERE t1.x BETWEEN 1 AND 10 AND t2.y IS NOT NULL",
        "SELECT name.lower(), pg_typeof(x), has_table_privilege('t', 'select') FROM t",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT sum(n) FROM r",
        "SELECT * FROM generate_series(1, 3) g(i) CROSS JOIN unnest(['a', 'b']) u(s) CROSS JOIN range(2) r(k)",
    };

    [Theory]
    [MemberData(nameof(Ordinary))]
    public void Ordinary_analytic_queries_pass(string sql)
    {
        var refusals = Refusals(sql);
        Assert.True(refusals.Count == 0, string.Join("; ", refusals.Select(r => r.Describe())));
    }

    [Fact]
    public void There_are_at_least_twenty_ordinary_queries() => Assert.True(Ordinary.Count >= 20);

    [Theory]
    [InlineData("current_setting", "system", "main")]
    [InlineData("CURRENT_SETTING", "", "")]
    [InlineData("Current_Setting", "", "pg_catalog")]
    public void Refusal_ignores_qualification_and_ascii_case(string name, string catalog, string schema)
    {
        var decision = Policy.Check(new FunctionCall(name, schema, catalog, false, false, false, "FUNCTION", 0));
        Assert.False(decision.IsAllowed);
        Assert.Equal(FunctionCatalog.EngineState, decision.Reason);
    }

    [Fact]
    public void Allowed_names_are_allowed_whatever_qualifies_them_except_gateway_shadowed_names()
    {
        Assert.True(Policy.Check(new FunctionCall("LOWER", "main", "system", false, false, false, "FUNCTION", 0)).IsAllowed);
        Assert.True(Policy.Check(new FunctionCall("version", "", "", false, false, false, "FUNCTION", 0)).IsAllowed);
        Assert.False(Policy.Check(new FunctionCall("version", "main", "", false, false, false, "FUNCTION", 0)).IsAllowed);
    }

    [Fact]
    public void Position_matters_histogram_is_an_allowed_aggregate_but_a_refused_table_macro()
    {
        Assert.Empty(Refusals("SELECT histogram(x) FROM t"));
        var r = Assert.Single(Refusals("SELECT * FROM histogram(t, x)"));
        Assert.Contains("as a table function", r.Reason, StringComparison.Ordinal);
        Assert.False(Policy.Check(new FunctionCall("lower", "", "", false, false, true, "FUNCTION", 0)).IsAllowed);
    }

    [Fact]
    public void Unknown_names_are_refused_as_unknown()
    {
        var decision = Policy.Check(new FunctionCall("brand_new_function", "", "", false, false, false, "FUNCTION", 0));
        Assert.False(decision.IsAllowed);
        Assert.Contains("unknown", decision.Reason, StringComparison.Ordinal);
        Assert.False(Policy.Check(new FunctionCall("duckdb_something_new", "", "", false, false, true, "FUNCTION", 0)).IsAllowed);
    }

    [Fact]
    public void Non_ascii_case_folding_does_not_match_an_allowed_name()
    {
        // U+017F (long s) upper-cases to S in .NET, but DuckDB folds ASCII only: "ſum" is not "sum".
        Assert.False(Policy.Check(new FunctionCall("ſum", "", "", false, false, false, "FUNCTION", 0)).IsAllowed);
    }

    [Fact]
    public void Bare_sql_value_functions_are_checked_as_calls()
    {
        Assert.Empty(Refusals("SELECT current_schema, current_user, user, localtimestamp"));
        Assert.Single(Refusals("SELECT current_role"));
    }
}
