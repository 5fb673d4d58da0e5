namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// The metadata relations a consumer query may read unchanged: the gateway's pg_catalog and information_schema
/// emulation, which lives in the instance's main schema and describes only what the instance holds (the shadow tables
/// of the visible assets with their allowed columns). Only unqualified names are metadata: the gateway strips
/// <c>pg_catalog.</c> and renames <c>information_schema.x</c> before governing (<see cref="PgDialect"/>), so a
/// qualified name still here would reach DuckDB's own pg_catalog or information_schema (DuckDB OIDs, the emulation's
/// own tables, engine settings) and is refused. An allow list: anything a later DuckDB adds is not on it.
/// </summary>
public static class CatalogRelations
{
    private static readonly HashSet<string> PgCatalog = new(StringComparer.OrdinalIgnoreCase)
    {
        "pg_am", "pg_amop", "pg_amproc", "pg_attrdef", "pg_attribute", "pg_auth_members", "pg_cast", "pg_class",
        "pg_collation", "pg_constraint", "pg_conversion", "pg_database", "pg_db_role_setting", "pg_default_acl",
        "pg_depend", "pg_description", "pg_enum", "pg_event_trigger", "pg_extension", "pg_foreign_data_wrapper",
        "pg_foreign_server", "pg_foreign_table", "pg_index", "pg_indexes", "pg_inherits", "pg_language",
        "pg_largeobject_metadata", "pg_matviews", "pg_namespace", "pg_opclass", "pg_operator", "pg_opfamily",
        "pg_parameter_acl", "pg_partitioned_table", "pg_policy", "pg_proc", "pg_publication",
        "pg_publication_namespace", "pg_publication_rel", "pg_range", "pg_rewrite", "pg_roles", "pg_sequence",
        "pg_sequences", "pg_settings", "pg_shdescription", "pg_stat_all_tables", "pg_stat_user_tables",
        "pg_statio_user_tables", "pg_statistic_ext", "pg_subscription", "pg_tables", "pg_tablespace", "pg_trigger",
        "pg_ts_config", "pg_ts_config_map", "pg_ts_dict", "pg_ts_parser", "pg_ts_template", "pg_type", "pg_user",
        "pg_user_mapping", "pg_user_mappings", "pg_views", "pg_transform", "pg_init_privs", "pg_seclabel", "pg_seclabels", "pg_statio_all_tables",
    };

    /// <summary>Every emulated relation name, as it exists in the instance's main schema.</summary>
    public static IEnumerable<string> EmulatedNames =>
        PgCatalog.Concat(PgDialect.EmulatedInformationSchema.Select(n => PgDialect.InformationSchemaPrefix + n));

    /// <summary>True for an unqualified name of the emulation (pg_catalog relations and information_schema_x).</summary>
    public static bool Contains(string schema, string table) =>
        schema.Length == 0 && (PgCatalog.Contains(table)
            || (table.StartsWith(PgDialect.InformationSchemaPrefix, StringComparison.OrdinalIgnoreCase)
                && PgDialect.EmulatedInformationSchema.Contains(table[PgDialect.InformationSchemaPrefix.Length..])));

    /// <summary>Schema names that are never projects: a reference into them is metadata or refused.</summary>
    public static bool IsReservedSchema(string schema) =>
        schema.Equals("pg_catalog", StringComparison.OrdinalIgnoreCase) || schema.Equals("information_schema", StringComparison.OrdinalIgnoreCase)
        || schema.Equals("main", StringComparison.OrdinalIgnoreCase) || schema.Equals("workspace", StringComparison.OrdinalIgnoreCase);
}
