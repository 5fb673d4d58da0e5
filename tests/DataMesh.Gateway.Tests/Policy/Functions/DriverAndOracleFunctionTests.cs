using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Tests.Sql.Ast;

namespace DataMesh.Gateway.Tests.Policy.Functions;

/// <summary>
/// Two edges of the allow list: what PostgreSQL drivers send on connect and for metadata must pass, and the state
/// readers and oracles of REFERENCE.md must be refused in every spelling (case, catalog/schema qualification, position).
/// </summary>
public sealed class DriverAndOracleFunctionTests
{
    /// <summary>As the gateway checks a consumer query: after the PostgreSQL spellings are translated (PgDialect).</summary>
    private static IReadOnlyList<FunctionDecision> Refusals(string sql) =>
        FunctionPolicy.Default.Refusals(AstTestEngine.Parse(DataMesh.Gateway.Policy.Rewrite.PgDialect.Translate(sql)));

    /// <summary>Npgsql 10's type-loading query (PostgresDatabaseInfo.GenerateLoadTypesQuery with ranges and
    /// multiranges), which it sends after <c>SELECT version()</c> on every new physical connection.</summary>
    private const string NpgsqlTypeQuery = """
        SELECT ns.nspname, t.oid, t.typname, t.typtype, t.typnotnull, t.elemtypoid
        FROM (
            SELECT typ.oid, typ.typnamespace, typ.typname, typ.typtype, typ.typrelid, typ.typnotnull, typ.relkind,
                elemtyp.oid AS elemtypoid, elemtyp.typname AS elemtypname, elemcls.relkind AS elemrelkind,
                CASE WHEN elemproc.proname='array_recv' THEN 'a' ELSE elemtyp.typtype END AS elemtyptype
            FROM (
                SELECT typ.oid, typnamespace, typname, typrelid, typnotnull, relkind, typelem AS elemoid,
                    CASE WHEN proc.proname='array_recv' THEN 'a' ELSE typ.typtype END AS typtype,
                    CASE
                        WHEN proc.proname='array_recv' THEN typ.typelem
                        WHEN typ.typtype='r' THEN rngsubtype
                        WHEN typ.typtype='m' THEN (SELECT rngtypid FROM pg_range WHERE rngmultitypid = typ.oid)
                        WHEN typ.typtype='d' THEN typ.typbasetype
                    END AS elemtypoid
                FROM pg_type AS typ
                LEFT JOIN pg_class AS cls ON (cls.oid = typ.typrelid)
                LEFT JOIN pg_proc AS proc ON proc.oid = typ.typreceive
                LEFT JOIN pg_range ON (pg_range.rngtypid = typ.oid)
            ) AS typ
            LEFT JOIN pg_type AS elemtyp ON elemtyp.oid = elemtypoid
            LEFT JOIN pg_class AS elemcls ON (elemcls.oid = elemtyp.typrelid)
            LEFT JOIN pg_proc AS elemproc ON elemproc.oid = elemtyp.typreceive
        ) AS t
        JOIN pg_namespace AS ns ON (ns.oid = typnamespace)
        WHERE
            typtype IN ('b', 'r', 'm', 'e', 'd') OR
            (typtype = 'c' AND relkind='c') OR
            (typtype = 'p' AND typname IN ('record', 'void')) OR
            (typtype = 'a' AND (
                elemtyptype IN ('b', 'r', 'm', 'e', 'd') OR
                (elemtyptype = 'p' AND elemtypname IN ('record', 'void')) OR
                (elemtyptype = 'c' AND elemrelkind='c')
            ))
        ORDER BY CASE
               WHEN typtype IN ('b', 'e', 'p') THEN 0
               WHEN typtype = 'r' THEN 1
               WHEN typtype = 'm' THEN 2
               WHEN typtype = 'c' THEN 3
               WHEN typtype = 'd' AND elemtyptype <> 'a' THEN 4
               WHEN typtype = 'a' THEN 5
               WHEN typtype = 'd' AND elemtyptype = 'a' THEN 6
        END
        """;

    public static readonly TheoryData<string> DriverQueries = new()
    {
        "SELECT version()",
        NpgsqlTypeQuery,
        // Npgsql's composite and enum follow-ups.
        "SELECT typ.oid, att.attname, att.atttypid FROM pg_type AS typ JOIN pg_namespace AS ns ON (ns.oid = typ.typnamespace) JOIN pg_class AS cls ON (cls.oid = typ.typrelid) JOIN pg_attribute AS att ON (att.attrelid = typ.typrelid) WHERE (typ.typtype = 'c' AND cls.relkind='c') AND attnum > 0 AND NOT attisdropped ORDER BY typ.oid, att.attnum",
        "SELECT pg_type.oid, enumlabel FROM pg_enum JOIN pg_type ON pg_type.oid=enumtypid ORDER BY oid, enumsortorder",
        // psql \dt-like listing: visibility, CASE over relkind, regex filters.
        "SELECT n.nspname AS \"Schema\", c.relname AS \"Name\", CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' END AS \"Type\" FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1, 2",
        // Column listings: the type name through DuckDB's pure format_pg_type (format_type is a macro over duckdb_types()).
        "SELECT a.attname, pg_catalog.format_pg_type(t.typname, t.typname), pg_catalog.pg_get_expr(NULL, a.attrelid), a.attnotnull, pg_catalog.col_description(a.attrelid, a.attnum) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid WHERE a.attnum > 0 ORDER BY a.attnum",
        // pgjdbc getColumns/getTables shapes.
        "SELECT * FROM (SELECT n.nspname, c.relname, a.attname, row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS attnum FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_class c ON (c.relnamespace = n.oid) JOIN pg_catalog.pg_attribute a ON (a.attrelid = c.oid)) c WHERE true",
        "SELECT array_agg(c.relname ORDER BY c.relname), string_agg(n.nspname, ','), array_to_string(array_agg(c.relname), ',') FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace",
        // Identity and privilege probes of DBeaver, Metabase and SQLAlchemy.
        "SELECT current_schema(), session_user, current_user, current_database(), pg_backend_pid()",
        "SELECT has_table_privilege('mkt_sls_table', 'SELECT'), has_schema_privilege('marketing', 'USAGE'), pg_catalog.obj_description(1, 'pg_class')",
        "SELECT pg_typeof(1), typeof('x'), coalesce(NULL, 1), nullif(1, 2), pg_catalog.pg_size_pretty(1024)",
    };

    [Theory]
    [MemberData(nameof(DriverQueries))]
    public void Driver_metadata_queries_need_no_refused_function(string sql)
    {
        var refusals = Refusals(sql);
        Assert.True(refusals.Count == 0, string.Join("; ", refusals.Select(r => r.Describe())));
    }

    /// <summary>The state readers, oracles and file/SQL runners of REFERENCE.md and issue 4.</summary>
    public static readonly TheoryData<string> StateReadersAndOracles = new()
    {
        "current_query", "getvariable", "getenv", "stats", "query", "query_table", "read_parquet",
        "read_csv", "read_csv_auto", "read_json", "read_text", "read_blob", "read_ndjson", "glob", "parquet_metadata",
        "parquet_schema", "parquet_file_metadata", "parquet_kv_metadata", "duckdb_settings", "duckdb_tables",
        "duckdb_secrets", "duckdb_functions", "pragma_table_info", "pragma_database_list", "error",
        "sql_auto_complete", "nextval", "currval", "checkpoint", "force_checkpoint", "enable_profiling",
        "json_execute_serialized_sql", "histogram_values", "get_block_size", "json_serialize_plan", "sleep_ms", "pg_sleep",
        // Unknown names of the same families (a future DuckDB): refused too.
        "read_anything_new", "parquet_new_metadata", "duckdb_new_view", "pragma_new_thing",
    };

    [Theory]
    [MemberData(nameof(StateReadersAndOracles))]
    public void State_readers_and_oracles_are_refused_in_every_spelling_and_position(string name)
    {
        string[] spellings = [name, name.ToUpperInvariant(), char.ToUpperInvariant(name[0]) + name[1..]];
        (string Catalog, string Schema)[] qualifications = [("", ""), ("", "main"), ("", "pg_catalog"), ("system", "main"), ("memory", "main"), ("temp", "information_schema")];
        foreach (var spelling in spellings)
            foreach (var (catalog, schema) in qualifications)
                foreach (var isTable in new[] { false, true })
                {
                    var d = FunctionPolicy.Default.Check(new FunctionCall(spelling, schema, catalog, false, false, isTable, "FUNCTION", 0));
                    Assert.False(d.IsAllowed, $"{catalog}.{schema}.{spelling} (table: {isTable}) was allowed");
                    Assert.False(string.IsNullOrWhiteSpace(d.Reason));
                }
    }

    /// <summary>
    /// DuckDB's format_type, pg_get_viewdef and current_schemas read its own catalog and search path; the gateway
    /// shadows them with the pg_catalog emulation's macros, which only an unqualified call reaches (the gateway strips
    /// pg_catalog. from calls before the policy sees them), so every qualified spelling stays refused.
    /// </summary>
    [Fact]
    public void Every_gateway_session_parameter_is_a_readable_setting_and_nothing_else_is()
    {
        var parameters = new DataMesh.Gateway.Server.Sessions.SessionParameters("u", new Dictionary<string, string>());
        var names = parameters.All.Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Readable: every session parameter but the superuser-only ones (data_directory, …), and nothing else.
        var superuserOnly = names.Where(DataMesh.Gateway.Policy.Settings.PgSettingsData.IsSuperuserOnly).ToList();
        Assert.Contains("data_directory", superuserOnly);
        Assert.Equal(names.Except(superuserOnly).Order(StringComparer.OrdinalIgnoreCase),
            FunctionCatalog.GatewaySettings.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// current_setting reads the gateway's session settings only: unqualified (the emulation's macro), with a constant
    /// name of one of them or a computed name (which the macro looks up in the gateway's map alone: Integration/
    /// SessionSettingsTests shows engine setting names answer NULL).
    /// </summary>
    [Theory]
    [InlineData("SELECT current_setting('search' || '_path')")]
    [InlineData("SELECT s.name, current_setting(s.name) FROM pg_settings s")]
    [InlineData("SELECT current_setting('search_path')")]
    [InlineData("SELECT pg_catalog.current_setting('server_version_num')")]
    [InlineData("SELECT current_setting('TimeZone', true), current_setting('standard_conforming_strings')")]
    public void Current_setting_of_a_gateway_setting_is_allowed(string sql) => Assert.Empty(Refusals(sql));

    [Theory]
    [InlineData("format_type")]
    [InlineData("pg_get_viewdef")]
    [InlineData("current_schemas")]
    [InlineData("pg_get_expr")]
    [InlineData("col_description")]
    [InlineData("pg_get_userbyid")]
    public void Emulation_macros_are_allowed_only_unqualified(string name)
    {
        Assert.True(FunctionPolicy.Default.Check(new FunctionCall(name, "", "", false, false, false, "FUNCTION", 0)).IsAllowed);
        (string Catalog, string Schema)[] qualifications = [("", "main"), ("", "pg_catalog"), ("system", "main"), ("system", "pg_catalog"), ("memory", "main")];
        foreach (var (catalog, schema) in qualifications)
            Assert.False(FunctionPolicy.Default.Check(new FunctionCall(name, schema, catalog, false, false, false, "FUNCTION", 0)).IsAllowed,
                $"{catalog}.{schema}.{name} was allowed");
    }

    [Theory]
    [InlineData("SELECT current_setting('memory_limit')", "current_setting")]
    [InlineData("SELECT system.main.current_setting('allowed_directories')", "current_setting")]
    [InlineData("SELECT pg_catalog.CURRENT_SETTING('temp_directory')", "current_setting")]
    [InlineData("SELECT current_setting('threads', true)", "current_setting")]
    [InlineData("SELECT main.current_setting(name) FROM (VALUES ('threads')) v(name)", "current_setting")]
    [InlineData("SELECT set_config('search_path', 'x', false), 1", "set_config")]
    [InlineData("SELECT system.main.current_setting('search_path')", "current_setting")]
    [InlineData("SELECT \"system\".\"main\".\"current_query\"()", "current_query")]
    [InlineData("SELECT * FROM system.main.query('SELECT 1')", "query")]
    [InlineData("SELECT * FROM main.Read_Parquet('/data/*.parquet')", "read_parquet")]
    [InlineData("SELECT * FROM unnest((SELECT list(x) FROM read_csv('/etc/passwd') t(x)))", "read_csv")]
    [InlineData("SELECT * FROM range((SELECT count(*) FROM glob('/*')))", "glob")]
    [InlineData("SELECT getvariable('datamesh_user') IS NULL", "getvariable")]
    [InlineData("SELECT 1 WHERE stats(1) IS NOT NULL", "stats")]
    [InlineData("SELECT nextval('s'), currval('s')", "nextval")]
    [InlineData("SELECT * FROM enable_profiling()", "enable_profiling")]
    [InlineData("SELECT * FROM checkpoint()", "checkpoint")]
    [InlineData("SELECT list_transform([1], x -> error('boom'))", "error")]
    public void Parsed_queries_with_a_state_reader_or_oracle_are_refused(string sql, string function)
    {
        var refusals = Refusals(sql);
        Assert.Contains(refusals, d => string.Equals(d.Call.FunctionName, function, StringComparison.OrdinalIgnoreCase));
    }
}
