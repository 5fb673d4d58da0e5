namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// The metadata relations a consumer query may read unchanged: the gateway's pg_catalog emulation (in the instance's
/// main schema) and DuckDB's own pg_catalog and information_schema views. In a project's instance these describe only
/// what the instance holds: the shadow tables of the visible assets with their allowed columns, and the emulation.
/// An allow list, not a deny list: DuckDB's <c>pg_settings</c> (engine settings, allowed paths) and
/// <c>pg_prepared_statements</c> are not on it, nor is anything new a later DuckDB adds.
/// </summary>
public static class CatalogRelations
{
    private static readonly HashSet<string> PgCatalog = new(StringComparer.OrdinalIgnoreCase)
    {
        "pg_am", "pg_attrdef", "pg_attribute", "pg_class", "pg_collation", "pg_constraint", "pg_database", "pg_depend",
        "pg_description", "pg_enum", "pg_index", "pg_indexes", "pg_namespace", "pg_proc", "pg_range", "pg_sequence",
        "pg_sequences", "pg_tables", "pg_tablespace", "pg_trigger", "pg_type", "pg_views",
    };

    private static readonly HashSet<string> InformationSchema = new(StringComparer.OrdinalIgnoreCase)
    {
        "character_sets", "check_constraints", "columns", "constraint_column_usage", "constraint_table_usage",
        "key_column_usage", "referential_constraints", "schemata", "table_constraints", "tables", "views",
    };

    /// <summary>True for <c>pg_catalog.x</c> or unqualified <c>x</c> of the pg_catalog list, and
    /// <c>information_schema.x</c> of the information_schema list.</summary>
    public static bool Contains(string schema, string table) => schema.ToLowerInvariant() switch
    {
        "" or "pg_catalog" => PgCatalog.Contains(table),
        "information_schema" => InformationSchema.Contains(table),
        _ => false,
    };

    /// <summary>Schema names that are never projects: a reference into them is metadata or refused.</summary>
    public static bool IsReservedSchema(string schema) =>
        schema.Equals("pg_catalog", StringComparison.OrdinalIgnoreCase) || schema.Equals("information_schema", StringComparison.OrdinalIgnoreCase)
        || schema.Equals("main", StringComparison.OrdinalIgnoreCase) || schema.Equals("workspace", StringComparison.OrdinalIgnoreCase);
}
