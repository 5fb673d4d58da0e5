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
public static class FunctionCatalog
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

    /// <summary>
    /// Scalar functions, operators, macros, aggregates and window functions a consumer may call: pure functions over
    /// values (string, math, date/time, casts, conditionals, list/struct/map/json/variant/geometry value functions),
    /// all aggregates and window functions, non-deterministic value generators (random, uuid, now: harmless for
    /// confidentiality), PostgreSQL compatibility macros that return constants, and the gateway identity macros.
    /// </summary>
    public static readonly IReadOnlySet<string> AllowedScalar = new HashSet<string>(StringComparer.Ordinal)
    {
        // The pg_catalog emulation's macros (PgCatalogFunctions); current_setting only with a gateway setting name.
        "current_setting", "quote_ident",
        "_pg_expandarray", "array_lower", "array_ndims", "array_upper", "current_schemas", "format_type",
        "pg_catalog_relation_oid", "pg_char_to_encoding", "pg_database_size", "pg_encoding_to_char", "pg_get_constraintdef", "pg_get_function_arguments",
        "pg_get_function_identity_arguments", "pg_get_function_result", "pg_get_functiondef", "pg_get_indexdef", "pg_get_partkeydef", "pg_get_ruledef",
        "pg_get_serial_sequence", "pg_get_statisticsobjdef_columns", "pg_get_triggerdef", "pg_get_userbyid", "pg_get_viewdef", "pg_ident_part",
        "pg_indexes_size", "pg_relation_is_publishable", "pg_relation_size", "pg_table_size", "pg_total_relation_size", "pg_type_display_name",
        "to_regclass", "to_regnamespace", "to_regproc", "to_regprocedure", "to_regrole", "to_regtype",
        "parse_ident", "pg_stat_get_numscans",
        "getdatabaseencoding", "pg_statistics_obj_is_visible", "pg_tablespace_location", "pg_tablespace_size", "quote_literal",
        "acldefault", "array_remove", "pg_column_is_updatable", "pg_get_function_sqlbody", "pg_index_column_has_property", "pg_is_in_recovery",
        "pg_relation_is_updatable",
        "!__postfix", "!~~", "!~~*", "%", "&", "&&",
        "*", "**", "+", "-", "->>", "/",
        "//", "<->", "<<", "<=>", "<@", ">>",
        "@", "@>", "^", "^@", "abs", "acos",
        "acosh", "add", "age", "aggregate", "ago", "alias",
        "any_value", "apply", "approx_count_distinct", "approx_quantile", "approx_top_k", "arbitrary",
        "arg_max", "arg_max_null", "arg_max_nulls_last", "arg_min", "arg_min_null", "arg_min_nulls_last",
        "argmax", "argmin", "array_agg", "array_aggr", "array_aggregate", "array_append",
        "array_apply", "array_cat", "array_concat", "array_contains", "array_cosine_distance", "array_cosine_similarity",
        "array_cross_product", "array_distance", "array_distinct", "array_dot_product", "array_extract", "array_filter",
        "array_grade_up", "array_has", "array_has_all", "array_has_any", "array_indexof", "array_inner_product",
        "array_intersect", "array_length", "array_negative_dot_product", "array_negative_inner_product", "array_pop_back", "array_pop_front",
        "array_position", "array_prepend", "array_push_back", "array_push_front", "array_reduce", "array_resize",
        "array_reverse", "array_reverse_sort", "array_select", "array_slice", "array_sort", "array_to_json",
        "array_to_string", "array_to_string_comma_default", "array_transform", "array_unique", "array_value", "array_where",
        "array_zip", "ascii", "asin", "asinh", "atan", "atan2",
        "atanh", "avg", "bar", "base64", "bin", "bit_and",
        "bit_count", "bit_length", "bit_or", "bit_position", "bit_xor", "bitstring",
        "bitstring_agg", "bool_and", "bool_or", "can_cast_implicitly", "cardinality", "cast_to_type",
        "cbrt", "ceil", "ceiling", "century", "char_length", "character_length",
        "chr", "col_description", "concat", "concat_ws", "contains", "corr",
        "cos", "cosh", "cot", "count", "count_if", "count_star",
        "countif", "covar_pop", "covar_samp", "create_sort_key", "cume_dist", "current_catalog",
        "current_database", "current_date", "current_localtime", "current_localtimestamp", "current_schema", "current_user",
        "damerau_levenshtein", "date_add", "date_diff", "date_part", "date_sub", "date_trunc",
        "datediff", "datepart", "datesub", "datetrunc", "day", "dayname",
        "dayofmonth", "dayofweek", "dayofyear", "days_in_month", "decade", "decode",
        "degrees", "dense_rank", "divide", "editdist3", "element_at", "encode",
        "ends_with", "entropy", "enum_code", "enum_first", "enum_last", "enum_range",
        "enum_range_boundary", "epoch", "epoch_ms", "epoch_ns", "epoch_us", "equi_width_bins",
        "era", "even", "exp", "factorial", "favg", "fdiv",
        "fill", "filter", "first", "first_value", "flatten", "floor",
        "fmod", "format", "formatreadabledecimalsize", "formatreadablesize", "format_bytes", "format_pg_type",
        "from_base64", "from_binary", "from_hex", "from_json", "from_json_strict", "fsum",
        "gamma", "gcd", "gen_random_uuid", "generate_series", "generate_subscripts", "geomean",
        "geometric_mean", "get_bit", "get_current_time", "get_current_timestamp", "get_type", "grade_up",
        "greatest", "greatest_common_divisor", "group_concat", "hamming", "has_any_column_privilege", "has_column_privilege",
        "has_database_privilege", "has_foreign_data_wrapper_privilege", "has_function_privilege", "has_language_privilege", "has_schema_privilege", "has_sequence_privilege",
        "has_server_privilege", "has_table_privilege", "has_tablespace_privilege", "hash", "hex", "histogram",
        "histogram_exact", "hour", "icu_collate_af", "icu_collate_am", "icu_collate_ar", "icu_collate_ar_sa",
        "icu_collate_as", "icu_collate_az", "icu_collate_be", "icu_collate_bg", "icu_collate_bn", "icu_collate_bo",
        "icu_collate_br", "icu_collate_bs", "icu_collate_ca", "icu_collate_ceb", "icu_collate_chr", "icu_collate_cs",
        "icu_collate_cy", "icu_collate_da", "icu_collate_de", "icu_collate_de_at", "icu_collate_dsb", "icu_collate_dz",
        "icu_collate_ee", "icu_collate_el", "icu_collate_en", "icu_collate_en_us", "icu_collate_eo", "icu_collate_es",
        "icu_collate_et", "icu_collate_fa", "icu_collate_fa_af", "icu_collate_ff", "icu_collate_fi", "icu_collate_fil",
        "icu_collate_fo", "icu_collate_fr", "icu_collate_fr_ca", "icu_collate_ga", "icu_collate_gl", "icu_collate_gu",
        "icu_collate_ha", "icu_collate_haw", "icu_collate_he", "icu_collate_he_il", "icu_collate_hi", "icu_collate_hr",
        "icu_collate_hsb", "icu_collate_hu", "icu_collate_hy", "icu_collate_id", "icu_collate_id_id", "icu_collate_ig",
        "icu_collate_is", "icu_collate_it", "icu_collate_ja", "icu_collate_ka", "icu_collate_kk", "icu_collate_kl",
        "icu_collate_km", "icu_collate_kn", "icu_collate_ko", "icu_collate_kok", "icu_collate_ku", "icu_collate_ky",
        "icu_collate_lb", "icu_collate_lkt", "icu_collate_ln", "icu_collate_lo", "icu_collate_lt", "icu_collate_lv",
        "icu_collate_mk", "icu_collate_ml", "icu_collate_mn", "icu_collate_mr", "icu_collate_ms", "icu_collate_mt",
        "icu_collate_my", "icu_collate_nb", "icu_collate_nb_no", "icu_collate_ne", "icu_collate_nl", "icu_collate_nn",
        "icu_collate_noaccent", "icu_collate_om", "icu_collate_or", "icu_collate_pa", "icu_collate_pa_in", "icu_collate_pl",
        "icu_collate_ps", "icu_collate_pt", "icu_collate_ro", "icu_collate_ru", "icu_collate_sa", "icu_collate_se",
        "icu_collate_si", "icu_collate_sk", "icu_collate_sl", "icu_collate_smn", "icu_collate_sq", "icu_collate_sr",
        "icu_collate_sr_ba", "icu_collate_sr_me", "icu_collate_sr_rs", "icu_collate_sv", "icu_collate_sw", "icu_collate_ta",
        "icu_collate_te", "icu_collate_th", "icu_collate_tk", "icu_collate_to", "icu_collate_tr", "icu_collate_ug",
        "icu_collate_uk", "icu_collate_ur", "icu_collate_uz", "icu_collate_vi", "icu_collate_wae", "icu_collate_wo",
        "icu_collate_xh", "icu_collate_yi", "icu_collate_yo", "icu_collate_yue", "icu_collate_yue_cn", "icu_collate_zh",
        "icu_collate_zh_cn", "icu_collate_zh_hk", "icu_collate_zh_mo", "icu_collate_zh_sg", "icu_collate_zh_tw", "icu_collate_zu",
        "icu_sort_key", "ilike_escape", "inet_client_addr", "inet_client_port", "inet_server_addr", "inet_server_port",
        "instr", "is_histogram_other_bin", "isfinite", "isinf", "isnan", "isodow",
        "isoyear", "jaccard", "jaro_similarity", "jaro_winkler_similarity", "json", "json_array",
        "json_array_length", "json_contains", "json_exists", "json_extract", "json_extract_path", "json_extract_path_text",
        "json_extract_string", "json_group_array", "json_group_object", "json_group_structure", "json_keys", "json_merge_patch",
        "json_object", "json_pretty", "json_quote", "json_structure", "json_transform", "json_transform_strict",
        "json_type", "json_valid", "json_value", "julian", "kahan_sum", "kurtosis",
        "kurtosis_pop", "lag", "last", "last_day", "last_value", "lcase",
        "lcm", "lead", "least", "least_common_multiple", "left", "left_grapheme",
        "len", "length", "length_grapheme", "levenshtein", "lgamma", "like_escape",
        "list", "list_aggr", "list_aggregate", "list_any_value", "list_append", "list_apply",
        "list_approx_count_distinct", "list_avg", "list_bit_and", "list_bit_or", "list_bit_xor", "list_bool_and",
        "list_bool_or", "list_cat", "list_concat", "list_contains", "list_cosine_distance", "list_cosine_similarity",
        "list_count", "list_distance", "list_distinct", "list_dot_product", "list_element", "list_entropy",
        "list_extract", "list_filter", "list_first", "list_grade_up", "list_has", "list_has_all",
        "list_has_any", "list_histogram", "list_indexof", "list_inner_product", "list_intersect", "list_kurtosis",
        "list_kurtosis_pop", "list_last", "list_mad", "list_max", "list_median", "list_min",
        "list_mode", "list_negative_dot_product", "list_negative_inner_product", "list_pack", "list_position", "list_prepend",
        "list_product", "list_reduce", "list_resize", "list_reverse", "list_reverse_sort", "list_select",
        "list_sem", "list_skewness", "list_slice", "list_sort", "list_stddev_pop", "list_stddev_samp",
        "list_string_agg", "list_sum", "list_transform", "list_unique", "list_value", "list_var_pop",
        "list_var_samp", "list_where", "list_zip", "listagg", "ln", "log",
        "log10", "log2", "lower", "lpad", "ltrim", "mad",
        "make_date", "make_time", "make_timestamp", "make_timestamp_ms", "make_timestamp_ns", "make_timestamptz",
        "make_type", "map", "map_concat", "map_contains", "map_contains_entry", "map_contains_value",
        "map_entries", "map_extract", "map_extract_value", "map_from_entries", "map_keys", "map_to_pg_oid",
        "map_values", "max", "max_by", "md5", "md5_number", "md5_number_lower",
        "md5_number_upper", "mean", "median", "microsecond", "millennium", "millisecond",
        "min", "min_by", "minute", "mismatches", "mod", "mode",
        "month", "monthname", "multiply", "nanosecond", "nextafter", "nfc_normalize",
        "normalized_interval", "not_ilike_escape", "not_like_escape", "now", "nth_value", "ntile",
        "nullif", "obj_description", "octet_length", "ord", "parse_dirname", "parse_dirpath",
        "parse_filename", "parse_formatted_bytes", "parse_path", "percent_rank", "pg_collation_is_visible", "pg_conf_load_time",
        "pg_conversion_is_visible", "pg_function_is_visible", "pg_get_expr", "pg_has_role", "pg_is_other_temp_schema", "pg_my_temp_schema",
        "pg_opclass_is_visible", "pg_operator_is_visible", "pg_opfamily_is_visible", "pg_postmaster_start_time", "pg_size_pretty", "pg_table_is_visible",
        "pg_ts_config_is_visible", "pg_ts_dict_is_visible", "pg_ts_parser_is_visible", "pg_ts_template_is_visible", "pg_type_is_visible", "pg_typeof",
        "pi", "position", "pow", "power", "prefix", "printf",
        "product", "quantile", "quantile_cont", "quantile_disc", "quarter", "radians",
        "random", "range", "rank", "rank_dense", "reduce", "regexp_escape",
        "regexp_extract", "regexp_extract_all", "regexp_full_match", "regexp_matches", "regexp_replace", "regexp_split_to_array",
        "regexp_split_to_table", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2",
        "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "remap_struct", "repeat",
        "replace", "replace_type", "reservoir_quantile", "reverse", "right", "right_grapheme",
        "round", "round_even", "roundbankers", "row", "row_number", "row_to_json",
        "rpad", "rtrim", "second", "sem", "session_user", "set_bit",
        "sha1", "sha256", "shobj_description", "sign", "signbit", "sin",
        "sinh", "skewness", "split", "split_part", "sqrt", "st_asbinary",
        "st_astext", "st_aswkb", "st_aswkt", "st_crs", "st_geomfromwkb", "st_intersects_extent",
        "st_setcrs", "starts_with", "stddev", "stddev_pop", "stddev_samp", "str_split",
        "str_split_regex", "strftime", "string_agg", "string_split", "string_split_regex", "string_to_array",
        "strip_accents", "strlen", "strpos", "strptime", "struct_concat", "struct_contains",
        "struct_extract", "struct_extract_at", "struct_has", "struct_indexof", "struct_insert", "struct_keys",
        "struct_pack", "struct_position", "struct_update", "struct_values", "substr", "substring",
        "substring_grapheme", "subtract", "suffix", "sum", "sum_no_overflow", "sumkahan",
        "switch", "tan", "tanh", "time_bucket", "timezone", "timezone_hour",
        "timezone_minute", "to_base", "to_base64", "to_binary", "to_centuries", "to_days",
        "to_decades", "to_hex", "to_hours", "to_json", "to_microseconds", "to_millennia",
        "to_milliseconds", "to_minutes", "to_months", "to_quarters", "to_seconds", "to_timestamp",
        "to_weeks", "to_years", "today", "transaction_timestamp", "translate", "trim",
        "trunc", "try_strptime", "typeof", "ucase", "unbin", "unhex",
        "unicode", "union_extract", "union_tag", "union_value", "upper", "url_decode",
        "url_encode", "user", "uuid", "uuid_extract_timestamp", "uuid_extract_version", "uuidv4",
        "uuidv7", "var_pop", "var_samp", "variance", "variant_extract", "variant_normalize",
        "variant_typeof", "version", "wavg", "week", "weekday", "weekofyear",
        "weighted_avg", "xor", "year", "yearweek", "|", "||",
        "~", "~~", "~~*", "~~~",
        // The select-list unnest (a binder special form; duckdb_functions() lists unnest as a table function only).
        "unnest",
        // Gateway macros (PgCatalogEmulation) that DuckDB does not ship.
        "pg_advisory_unlock_all", "pg_backend_pid",
    };

    /// <summary>
    /// Table functions a consumer may call in FROM: the documented allow list of issue 4 (range, generate_series,
    /// unnest), generators over values only, no catalog, files or SQL. Nothing else, however harmless it looks
    /// (json_each, repeat_row): the list is kept small on purpose.
    /// </summary>
    public static readonly IReadOnlySet<string> AllowedTable = new HashSet<string>(StringComparer.Ordinal)
    {
        "generate_series", "pg_get_keywords", "pg_options_to_table", "pg_partition_tree", "range", "unnest",
    };

    /// <summary>Names refused on purpose (in every position where they are not in an allow list).</summary>
    public static readonly IReadOnlyDictionary<string, string> Refused = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Scalar functions and macros.
        ["getvariable"] = EngineState,
        ["set_config"] = "changes settings: the gateway answers it only as a statement of its own, SELECT set_config('name', 'value', is_local), with constant arguments",
        ["in_search_path"] = EngineState,
        ["current_connection_id"] = EngineState,
        ["current_query_id"] = EngineState,
        ["current_transaction_id"] = EngineState,
        ["txid_current"] = EngineState,
        ["current_query"] = QueryText,
        ["json_serialize_plan"] = EngineCatalog,
        ["stats"] = Statistics,
        ["vector_type"] = Internal,
        ["json_serialize_sql"] = Internal,
        ["json_deserialize_sql"] = Internal,
        ["nextval"] = Sequences,
        ["currval"] = Sequences,
        ["setseed"] = ChangesEngine,
        ["write_log"] = ChangesEngine,
        ["sleep_ms"] = DenialOfService,
        ["pg_sleep"] = DenialOfService,
        ["error"] = ErrorOracle,
        ["get_block_size"] = CatalogMacro,
        ["finalize"] = Internal,
        ["combine"] = Internal,
        ["constant_or_null"] = Internal,
        ["unpivot_list"] = Internal,
        ["variant_bytes_to_variant"] = Internal,
        ["variant_to_parquet_variant"] = Internal,
        ["timetz_byte_comparable"] = Internal,
        ["parse_duckdb_log_message"] = Internal,
        ["current_role"] = NotGatewayIdentity,
        ["__internal_compress_integral_ubigint"] = Internal,
        ["__internal_compress_integral_uinteger"] = Internal,
        ["__internal_compress_integral_usmallint"] = Internal,
        ["__internal_compress_integral_utinyint"] = Internal,
        ["__internal_compress_string_hugeint"] = Internal,
        ["__internal_compress_string_ubigint"] = Internal,
        ["__internal_compress_string_uhugeint"] = Internal,
        ["__internal_compress_string_uinteger"] = Internal,
        ["__internal_compress_string_usmallint"] = Internal,
        ["__internal_compress_string_utinyint"] = Internal,
        ["__internal_decompress_integral_bigint"] = Internal,
        ["__internal_decompress_integral_hugeint"] = Internal,
        ["__internal_decompress_integral_integer"] = Internal,
        ["__internal_decompress_integral_smallint"] = Internal,
        ["__internal_decompress_integral_ubigint"] = Internal,
        ["__internal_decompress_integral_uhugeint"] = Internal,
        ["__internal_decompress_integral_uinteger"] = Internal,
        ["__internal_decompress_integral_usmallint"] = Internal,
        ["__internal_decompress_string"] = Internal,
        // Table functions and table macros (also refused in FROM when the same name is an allowed aggregate).
        ["arrow_scan"] = FileOrScan,
        ["arrow_scan_dumb"] = FileOrScan,
        ["check_peg_parser"] = Internal,
        ["checkpoint"] = ChangesEngine,
        ["disable_logging"] = ChangesEngine,
        ["disable_peg_parser"] = ChangesEngine,
        ["disable_profiling"] = ChangesEngine,
        ["duckdb_approx_database_count"] = EngineCatalog,
        ["duckdb_columns"] = EngineCatalog,
        ["duckdb_connection_count"] = EngineCatalog,
        ["duckdb_constraints"] = EngineCatalog,
        ["duckdb_coordinate_systems"] = EngineCatalog,
        ["duckdb_databases"] = EngineCatalog,
        ["duckdb_dependencies"] = EngineCatalog,
        ["duckdb_extensions"] = EngineCatalog,
        ["duckdb_external_file_cache"] = EngineCatalog,
        ["duckdb_functions"] = EngineCatalog,
        ["duckdb_indexes"] = EngineCatalog,
        ["duckdb_keywords"] = EngineCatalog,
        ["duckdb_log_contexts"] = EngineCatalog,
        ["duckdb_logs"] = EngineCatalog,
        ["duckdb_logs_parsed"] = RunsSql,
        ["duckdb_memory"] = EngineCatalog,
        ["duckdb_optimizers"] = EngineCatalog,
        ["duckdb_prepared_statements"] = EngineCatalog,
        ["duckdb_profiling_settings"] = RunsSql,
        ["duckdb_schemas"] = EngineCatalog,
        ["duckdb_secret_types"] = EngineCatalog,
        ["duckdb_secrets"] = EngineCatalog,
        ["duckdb_sequences"] = EngineCatalog,
        ["duckdb_settings"] = EngineCatalog,
        ["duckdb_table_sample"] = EngineCatalog,
        ["duckdb_tables"] = EngineCatalog,
        ["duckdb_temporary_files"] = EngineCatalog,
        ["duckdb_types"] = EngineCatalog,
        ["duckdb_variables"] = EngineCatalog,
        ["duckdb_views"] = EngineCatalog,
        ["enable_logging"] = ChangesEngine,
        ["enable_peg_parser"] = ChangesEngine,
        ["enable_profiling"] = ChangesEngine,
        ["force_checkpoint"] = ChangesEngine,
        ["glob"] = FileOrScan,
        ["json_each"] = NotOnTableAllowList,
        ["json_tree"] = NotOnTableAllowList,
        ["repeat"] = NotOnTableAllowList,
        ["repeat_row"] = NotOnTableAllowList,
        ["histogram"] = RunsSql,
        ["histogram_values"] = RunsSql,
        ["icu_calendar_names"] = EngineCatalog,
        ["json_execute_serialized_sql"] = RunsSql,
        ["parquet_bloom_probe"] = Statistics,
        ["parquet_file_metadata"] = Statistics,
        ["parquet_full_metadata"] = Statistics,
        ["parquet_kv_metadata"] = Statistics,
        ["parquet_metadata"] = Statistics,
        ["parquet_scan"] = FileOrScan,
        ["parquet_schema"] = Statistics,
        ["pg_timezone_names"] = EngineCatalog,
        ["pragma_collations"] = EngineCatalog,
        ["pragma_database_size"] = EngineCatalog,
        ["pragma_metadata_info"] = EngineCatalog,
        ["pragma_platform"] = EngineCatalog,
        ["pragma_show"] = EngineCatalog,
        ["pragma_storage_info"] = EngineCatalog,
        ["pragma_table_info"] = EngineCatalog,
        ["pragma_user_agent"] = EngineCatalog,
        ["pragma_version"] = EngineCatalog,
        ["query"] = RunsSql,
        ["query_table"] = RunsSql,
        ["read_blob"] = FileOrScan,
        ["read_csv"] = FileOrScan,
        ["read_csv_auto"] = FileOrScan,
        ["read_duckdb"] = FileOrScan,
        ["read_json"] = FileOrScan,
        ["read_json_auto"] = FileOrScan,
        ["read_json_objects"] = FileOrScan,
        ["read_json_objects_auto"] = FileOrScan,
        ["read_ndjson"] = FileOrScan,
        ["read_ndjson_auto"] = FileOrScan,
        ["read_ndjson_objects"] = FileOrScan,
        ["read_parquet"] = FileOrScan,
        ["read_text"] = FileOrScan,
        ["seq_scan"] = FileOrScan,
        ["sniff_csv"] = FileOrScan,
        ["sql_auto_complete"] = EngineCatalog,
        ["summary"] = RunsSql,
        ["test_all_types"] = Internal,
        ["test_vector_types"] = Internal,
        ["truncate_duckdb_logs"] = ChangesEngine,
        ["which_secret"] = EngineCatalog,
        ["add_parquet_key"] = Pragma,
        ["all_profiling_output"] = Pragma,
        ["collations"] = Pragma,
        ["copy_database"] = Pragma,
        ["database_list"] = Pragma,
        ["database_size"] = Pragma,
        ["disable_checkpoint_on_shutdown"] = Pragma,
        ["disable_object_cache"] = Pragma,
        ["disable_optimizer"] = Pragma,
        ["disable_print_progress_bar"] = Pragma,
        ["disable_profile"] = Pragma,
        ["disable_progress_bar"] = Pragma,
        ["disable_verification"] = Pragma,
        ["disable_verify_external"] = Pragma,
        ["disable_verify_fetch_row"] = Pragma,
        ["disable_verify_parallelism"] = Pragma,
        ["disable_verify_serializer"] = Pragma,
        ["enable_checkpoint_on_shutdown"] = Pragma,
        ["enable_object_cache"] = Pragma,
        ["enable_optimizer"] = Pragma,
        ["enable_print_progress_bar"] = Pragma,
        ["enable_profile"] = Pragma,
        ["enable_progress_bar"] = Pragma,
        ["enable_verification"] = Pragma,
        ["extension_versions"] = Pragma,
        ["functions"] = Pragma,
        ["import_database"] = Pragma,
        ["metadata_info"] = Pragma,
        ["platform"] = Pragma,
        ["show"] = Pragma,
        ["show_databases"] = Pragma,
        ["show_tables"] = Pragma,
        ["show_tables_expanded"] = Pragma,
        ["storage_info"] = Pragma,
        ["table_info"] = Pragma,
        ["user_agent"] = Pragma,
        ["verify_external"] = Pragma,
        ["verify_fetch_row"] = Pragma,
        ["verify_parallelism"] = Pragma,
        ["verify_serializer"] = Pragma,
        // Not listed by duckdb_functions() but accepted by DuckDB's parser/binder or other versions: refused by name
        // so the reason is clear (unknown names are refused anyway).
        ["pragma_database_list"] = EngineCatalog,
        ["read_parquet_metadata"] = Statistics,
        ["getenv"] = EngineState,
    };
}
