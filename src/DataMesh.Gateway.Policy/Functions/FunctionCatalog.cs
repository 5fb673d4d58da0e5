namespace DataMesh.Gateway.Policy.Functions;

/// <summary>
/// The classification of every function name DuckDB 1.5.6 ships (with the bundled extensions json, parquet, icu,
/// core_functions and autocomplete loaded) plus the gateway's own macros. Three lists:
/// <list type="bullet">
/// <item><see cref="AllowedScalar"/>: scalar functions, operators, scalar macros, aggregates and window functions a
/// consumer expression may call (FUNCTION and WINDOW nodes that are not the function of a FROM-clause table function);</item>
/// <item><see cref="AllowedTable"/>: table functions a consumer may call in FROM;</item>
/// <item><see cref="Refused"/>: names refused on purpose, with the reason. A name allowed in one position may be
/// refused in the other (<c>histogram</c> is a harmless aggregate but also a table macro over <c>query_table</c>).</item>
/// </list>
/// A name in none of them is refused at run time as unknown, and the exhaustiveness test fails until someone
/// classifies it. Names are stored in lower case (DuckDB folds ASCII case only, see <see cref="FunctionPolicy.Normalize"/>).
/// </summary>
public static partial class FunctionCatalog
{
    /// <summary>The DuckDB version these lists were reviewed against.</summary>
    public const string ReviewedDuckDbVersion = "v1.5.6";

    // Reasons (shared strings keep the table readable).
    public const string EngineState = "reads engine state (settings, variables, session/connection/transaction ids, search path)";
    public const string QueryText = "reveals the query text the engine runs (the rewritten query, with paths and row filters)";
    public const string Statistics = "reveals column statistics or file metadata computed over every row, hidden rows included";
    public const string RunsSql = "runs SQL text or a table given by name, bypassing the row/column policy";
    public const string FileOrScan = "reads files, globs the filesystem or scans memory/tables directly";
    public const string EngineCatalog = "reads the engine's catalog (tables, views, columns, secrets, settings, extensions, memory)";
    public const string CatalogMacro = "macro over a catalog table function (duckdb_views/duckdb_constraints/duckdb_types/pragma_database_size)";
    public const string ErrorOracle = "raises an error on purpose (an error oracle)";
    public const string Sequences = "reads or advances sequences (engine state shared across sessions)";
    public const string ChangesEngine = "changes engine or session state (logging, profiling, checkpoints, RNG seed, parser)";
    public const string DenialOfService = "sleeps: denial of service, and a timing channel";
    public const string Internal = "internal/debug function with no analytic use (optimizer, storage, serialisation or test helper)";
    public const string Pragma = "a PRAGMA, not callable from a consumer query";
    public const string NotOnTableAllowList = "not on the documented table-function allow list (range, generate_series, unnest and the pg_catalog table macros)";
    public const string NotGatewayIdentity = "DuckDB's built-in, not the gateway identity macro (returns a DuckDB constant)";

    /// <summary>
    /// Names the gateway shadows with its own macros in the engine's main schema (PgCatalogEmulation, the pg_catalog
    /// functions of PgCatalogFunctions; the gateway strips <c>pg_catalog.</c> from calls first): only the
    /// unqualified call reaches the gateway macro; <c>system.main.version()</c> or <c>pg_catalog.current_database()</c>
    /// reach DuckDB's built-in, which reveals engine details, so a qualified call to one of these is refused.
    /// </summary>
    public static readonly IReadOnlySet<string> GatewayShadowed = new HashSet<string>(StringComparer.Ordinal)
    {
        "current_setting", "quote_ident",
        "_pg_expandarray", "array_lower", "array_ndims", "array_upper", "col_description", "current_catalog",
        "current_database", "current_schema", "current_schemas", "current_user", "format_type", "obj_description",
        "pg_advisory_unlock_all", "pg_backend_pid", "pg_catalog_relation_oid", "pg_char_to_encoding", "pg_collation_is_visible", "pg_database_size",
        "pg_encoding_to_char", "pg_function_is_visible", "pg_get_constraintdef", "pg_get_expr", "pg_get_function_arguments", "pg_get_function_identity_arguments",
        "pg_get_function_result", "pg_get_functiondef", "pg_get_indexdef", "pg_get_partkeydef", "pg_get_ruledef", "pg_get_serial_sequence",
        "pg_get_statisticsobjdef_columns", "pg_get_triggerdef", "pg_get_userbyid", "pg_get_viewdef", "pg_ident_part", "pg_indexes_size",
        "pg_relation_is_publishable", "pg_relation_size", "pg_size_pretty", "pg_table_is_visible", "pg_table_size", "pg_total_relation_size",
        "pg_type_display_name", "pg_type_is_visible", "session_user", "shobj_description", "to_regclass", "to_regnamespace",
        "to_regproc", "to_regprocedure", "to_regrole", "to_regtype", "version",
        // Size guards in front of DuckDB's value builders (Engine: GatewayMacros) and the privilege inquiry functions
        // answered from the grants (Engine: PrivilegeInquiry): qualified, they reach the unguarded built-ins.
        "repeat", "lpad", "rpad", "list_resize", "array_resize", "range", "generate_series", "bar", "replace", "equi_width_bins",
        "printf", "format",
        "has_table_privilege", "has_column_privilege", "has_any_column_privilege", "has_schema_privilege", "has_database_privilege",
    };

    /// <summary>
    /// The session settings <c>current_setting('name')</c> may read: PostgreSQL's parameters (the gateway's session
    /// settings answer every one of them from the session, never from the engine), without the superuser-only ones.
    /// Matched case-insensitively.
    /// </summary>
    public static IReadOnlySet<string> GatewaySettings => Settings.PgSettingsData.Readable;

    /// <summary>Gateway macros that DuckDB itself does not ship.</summary>
    public static readonly IReadOnlySet<string> GatewayMacros = new HashSet<string>(StringComparer.Ordinal)
    {
        "quote_ident",
        "_pg_expandarray", "array_lower", "array_ndims", "array_upper", "pg_advisory_unlock_all", "pg_backend_pid",
        "pg_catalog_relation_oid", "pg_char_to_encoding", "pg_database_size", "pg_encoding_to_char", "pg_get_function_arguments", "pg_get_function_identity_arguments",
        "pg_get_function_result", "pg_get_functiondef", "pg_get_indexdef", "pg_get_partkeydef", "pg_get_ruledef", "pg_get_serial_sequence",
        "pg_get_statisticsobjdef_columns", "pg_get_triggerdef", "pg_get_userbyid", "pg_ident_part", "pg_indexes_size", "pg_relation_is_publishable",
        "pg_relation_size", "pg_table_size", "pg_total_relation_size", "pg_type_display_name", "to_regclass", "to_regnamespace",
        "to_regproc", "to_regprocedure", "to_regrole", "to_regtype", "parse_ident", "pg_stat_get_numscans",
        "getdatabaseencoding", "pg_statistics_obj_is_visible", "pg_tablespace_location", "pg_tablespace_size", "quote_literal",
        "acldefault", "array_remove", "pg_column_is_updatable", "pg_get_function_sqlbody", "pg_index_column_has_property", "pg_is_in_recovery",
        "pg_relation_is_updatable",
    };

    /// <summary>
    /// The gateway's internal helper macros (Engine: GatewayMacros, PrivilegeInquiry): the per-row wrapper the policy
    /// writes into rewritten queries, and the helpers of the privilege inquiry functions. Consumers never call them.
    /// </summary>
    public static readonly IReadOnlySet<string> GatewayInternalMacros = new HashSet<string>(StringComparer.Ordinal)
    {
        "__datamesh_any_column_privilege", "__datamesh_column", "__datamesh_column_privilege", "__datamesh_database_privilege", "__datamesh_per_row", "__datamesh_printf_size", "__datamesh_format_size", "__datamesh_relation", "__datamesh_role", "__datamesh_schema_privilege", "__datamesh_table_privilege",
    };

    /// <summary>Gateway table macros of the pg_catalog emulation that DuckDB itself does not ship.</summary>
    public static readonly IReadOnlySet<string> GatewayTableMacros = new HashSet<string>(StringComparer.Ordinal)
    {
        "pg_get_keywords", "pg_options_to_table", "pg_partition_tree",
    };

    /// <summary>
    /// Bare identifiers DuckDB's binder turns into function calls when no column of that name is in scope
    /// (<c>SELECT current_schema</c>): they arrive as single-part COLUMN_REF nodes.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SqlValueFunctions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["current_catalog"] = "current_catalog",
        ["current_date"] = "current_date",
        ["current_role"] = "current_role",
        ["current_schema"] = "current_schema",
        ["current_time"] = "get_current_time",
        ["current_timestamp"] = "get_current_timestamp",
        ["current_user"] = "current_user",
        ["localtime"] = "current_localtime",
        ["localtimestamp"] = "current_localtimestamp",
        ["session_user"] = "session_user",
        ["user"] = "current_user",
    };

    /// <summary>Names DuckDB's binder handles itself and duckdb_functions() lists only in another position
    /// (unnest is listed as a table function but also works in the select list).</summary>
    public static readonly IReadOnlySet<string> BinderSpecial = new HashSet<string>(StringComparer.Ordinal) { "unnest" };

    /// <summary>Functions that take the name of an aggregate as a string argument (list_aggr(l, 'sum')).</summary>
    public static readonly IReadOnlySet<string> AggregateByName = new HashSet<string>(StringComparer.Ordinal)
    {
        "aggregate", "array_aggr", "array_aggregate", "list_aggr", "list_aggregate",
    };

    /// <summary>Every aggregate/window function DuckDB 1.5.6 ships (function_type = 'aggregate').</summary>
    public static readonly IReadOnlySet<string> Aggregates = new HashSet<string>(StringComparer.Ordinal)
    {
        "any_value", "approx_count_distinct", "approx_quantile", "approx_top_k", "arbitrary", "arg_max",
        "arg_max_null", "arg_max_nulls_last", "arg_min", "arg_min_null", "arg_min_nulls_last", "argmax",
        "argmin", "array_agg", "avg", "bit_and", "bit_or", "bit_xor",
        "bitstring_agg", "bool_and", "bool_or", "corr", "count", "count_if",
        "count_star", "countif", "covar_pop", "covar_samp", "cume_dist", "dense_rank",
        "entropy", "favg", "fill", "first", "first_value", "fsum",
        "group_concat", "histogram", "histogram_exact", "kahan_sum", "kurtosis", "kurtosis_pop",
        "lag", "last", "last_value", "lead", "list", "listagg",
        "mad", "max", "max_by", "mean", "median", "min",
        "min_by", "mode", "nth_value", "ntile", "percent_rank", "product",
        "quantile", "quantile_cont", "quantile_disc", "rank", "rank_dense", "regr_avgx",
        "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx",
        "regr_sxy", "regr_syy", "reservoir_quantile", "row_number", "sem", "skewness",
        "stddev", "stddev_pop", "stddev_samp", "string_agg", "sum", "sum_no_overflow",
        "sumkahan", "var_pop", "var_samp", "variance",
    };
}
