namespace DataMesh.Gateway.Engine;

/// <summary>
/// information_schema views as PostgreSQL defines them (column names, PostgreSQL type names in data_type), over the
/// pg_catalog emulation, so they list exactly the visible assets and their allowed columns. They live in main as
/// <c>information_schema_&lt;view&gt;</c>; the gateway turns <c>information_schema.tables</c> into that name
/// (Policy.Rewrite.PgDialect), so DuckDB's own information_schema (which lists the emulation's tables and DuckDB
/// type names) is never what a client reads. Views for objects the gateway never has are empty. <c>tables</c> also
/// lists the project's workspace tables (schema <c>workspace</c>, as they are written), read from the engine's
/// catalog when queried: they change with every CREATE TABLE workspace.t, unlike the shadow catalog.
/// </summary>
internal static class InformationSchemaEmulation
{
    private const string P = "information_schema_";

    /// <summary>information_schema's data_type for a pg_type name.</summary>
    private const string DataType = """
        CASE WHEN t.typcategory = 'A' THEN 'ARRAY' ELSE CASE t.typname WHEN 'int8' THEN 'bigint' WHEN 'int4' THEN 'integer'
          WHEN 'int2' THEN 'smallint' WHEN 'float8' THEN 'double precision' WHEN 'float4' THEN 'real' WHEN 'bool' THEN 'boolean'
          WHEN 'varchar' THEN 'character varying' WHEN 'bpchar' THEN 'character' WHEN 'timestamp' THEN 'timestamp without time zone'
          WHEN 'timestamptz' THEN 'timestamp with time zone' WHEN 'time' THEN 'time without time zone'
          WHEN 'timetz' THEN 'time with time zone' WHEN 'char' THEN '"char"' ELSE t.typname END END
        """;

    public static IEnumerable<string> Statements()
    {
        var db = PgCatalogEmulation.Identity("database");
        yield return $"""
            CREATE VIEW {P}schemata AS
            SELECT {db} AS catalog_name, n.nspname::VARCHAR AS schema_name, pg_get_userbyid(n.nspowner) AS schema_owner,
              NULL::VARCHAR AS default_character_set_catalog, NULL::VARCHAR AS default_character_set_schema,
              NULL::VARCHAR AS default_character_set_name, NULL::VARCHAR AS sql_path
            FROM pg_namespace n
            """;
        yield return $"""
            CREATE VIEW {P}tables AS
            SELECT {db} AS table_catalog, n.nspname::VARCHAR AS table_schema, c.relname::VARCHAR AS table_name,
              CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'f' THEN 'FOREIGN' ELSE 'BASE TABLE' END AS table_type,
              NULL::VARCHAR AS self_referencing_column_name, NULL::VARCHAR AS reference_generation,
              NULL::VARCHAR AS user_defined_type_catalog, NULL::VARCHAR AS user_defined_type_schema, NULL::VARCHAR AS user_defined_type_name,
              'NO' AS is_insertable_into, 'NO' AS is_typed, NULL::VARCHAR AS commit_action
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'f')
            UNION ALL
            SELECT {db}, 'workspace', table_name::VARCHAR, 'BASE TABLE', NULL, NULL, NULL, NULL, NULL, 'YES', 'NO', NULL
            FROM duckdb_tables() WHERE database_name = 'workspace'
            """;
        yield return $"""
            CREATE VIEW {P}columns AS
            SELECT {db} AS table_catalog, n.nspname::VARCHAR AS table_schema, c.relname::VARCHAR AS table_name,
              a.attname::VARCHAR AS column_name, a.attnum::INTEGER AS ordinal_position, NULL::VARCHAR AS column_default,
              CASE WHEN a.attnotnull THEN 'NO' ELSE 'YES' END AS is_nullable, {DataType} AS data_type,
              CASE WHEN t.typname IN ('varchar', 'bpchar') AND a.atttypmod > 4 THEN a.atttypmod - 4 END AS character_maximum_length,
              CASE WHEN t.typname IN ('varchar', 'bpchar', 'text') THEN 1073741824 END AS character_octet_length,
              CASE t.typname WHEN 'int2' THEN 16 WHEN 'int4' THEN 32 WHEN 'int8' THEN 64 WHEN 'float4' THEN 24 WHEN 'float8' THEN 53
                WHEN 'numeric' THEN CASE WHEN a.atttypmod > 4 THEN (a.atttypmod - 4) >> 16 END END AS numeric_precision,
              CASE WHEN t.typname IN ('int2', 'int4', 'int8', 'float4', 'float8') THEN 2 WHEN t.typname = 'numeric' THEN 10 END AS numeric_precision_radix,
              CASE WHEN t.typname IN ('int2', 'int4', 'int8') THEN 0 WHEN t.typname = 'numeric' AND a.atttypmod > 4 THEN (a.atttypmod - 4) & 65535 END AS numeric_scale,
              CASE WHEN t.typname IN ('date') THEN 0 WHEN t.typname IN ('time', 'timetz', 'timestamp', 'timestamptz', 'interval') THEN 6 END AS datetime_precision,
              NULL::VARCHAR AS interval_type, NULL::INTEGER AS interval_precision,
              NULL::VARCHAR AS character_set_catalog, NULL::VARCHAR AS character_set_schema, NULL::VARCHAR AS character_set_name,
              NULL::VARCHAR AS collation_catalog, NULL::VARCHAR AS collation_schema, NULL::VARCHAR AS collation_name,
              NULL::VARCHAR AS domain_catalog, NULL::VARCHAR AS domain_schema, NULL::VARCHAR AS domain_name,
              {db} AS udt_catalog, 'pg_catalog' AS udt_schema, t.typname::VARCHAR AS udt_name,
              NULL::VARCHAR AS scope_catalog, NULL::VARCHAR AS scope_schema, NULL::VARCHAR AS scope_name,
              NULL::INTEGER AS maximum_cardinality, a.attnum::VARCHAR AS dtd_identifier, 'NO' AS is_self_referencing,
              'NO' AS is_identity, NULL::VARCHAR AS identity_generation, NULL::VARCHAR AS identity_start, NULL::VARCHAR AS identity_increment,
              NULL::VARCHAR AS identity_maximum, NULL::VARCHAR AS identity_minimum, NULL::VARCHAR AS identity_cycle,
              'NEVER' AS is_generated, NULL::VARCHAR AS generation_expression, 'NO' AS is_updatable
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attnum > 0 AND NOT a.attisdropped
            """;
        yield return $"""
            CREATE TABLE {P}views (table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, view_definition VARCHAR,
              check_option VARCHAR, is_updatable VARCHAR, is_insertable_into VARCHAR, is_trigger_updatable VARCHAR,
              is_trigger_deletable VARCHAR, is_trigger_insertable_into VARCHAR)
            """;
        yield return $"""
            CREATE TABLE {P}table_constraints (constraint_catalog VARCHAR, constraint_schema VARCHAR, constraint_name VARCHAR,
              table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, constraint_type VARCHAR, is_deferrable VARCHAR,
              initially_deferred VARCHAR, enforced VARCHAR, nulls_distinct VARCHAR)
            """;
        yield return $"""
            CREATE TABLE {P}key_column_usage (constraint_catalog VARCHAR, constraint_schema VARCHAR, constraint_name VARCHAR,
              table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, column_name VARCHAR, ordinal_position INTEGER,
              position_in_unique_constraint INTEGER)
            """;
        yield return $"""
            CREATE TABLE {P}referential_constraints (constraint_catalog VARCHAR, constraint_schema VARCHAR, constraint_name VARCHAR,
              unique_constraint_catalog VARCHAR, unique_constraint_schema VARCHAR, unique_constraint_name VARCHAR, match_option VARCHAR,
              update_rule VARCHAR, delete_rule VARCHAR)
            """;
        yield return $"""
            CREATE TABLE {P}constraint_column_usage (table_catalog VARCHAR, table_schema VARCHAR, table_name VARCHAR, column_name VARCHAR,
              constraint_catalog VARCHAR, constraint_schema VARCHAR, constraint_name VARCHAR)
            """;
        yield return $"CREATE TABLE {P}check_constraints (constraint_catalog VARCHAR, constraint_schema VARCHAR, constraint_name VARCHAR, check_clause VARCHAR)";
        yield return $"""
            CREATE TABLE {P}routines (specific_catalog VARCHAR, specific_schema VARCHAR, specific_name VARCHAR, routine_catalog VARCHAR,
              routine_schema VARCHAR, routine_name VARCHAR, routine_type VARCHAR, data_type VARCHAR, type_udt_name VARCHAR,
              routine_body VARCHAR, routine_definition VARCHAR, external_language VARCHAR, is_deterministic VARCHAR)
            """;
        yield return $"""
            CREATE TABLE {P}parameters (specific_catalog VARCHAR, specific_schema VARCHAR, specific_name VARCHAR, ordinal_position INTEGER,
              parameter_mode VARCHAR, parameter_name VARCHAR, data_type VARCHAR, udt_name VARCHAR)
            """;
        yield return $"""
            CREATE TABLE {P}table_privileges (grantor VARCHAR, grantee VARCHAR, table_catalog VARCHAR, table_schema VARCHAR,
              table_name VARCHAR, privilege_type VARCHAR, is_grantable VARCHAR, with_hierarchy VARCHAR)
            """;
        yield return $"""
            CREATE TABLE {P}column_privileges (grantor VARCHAR, grantee VARCHAR, table_catalog VARCHAR, table_schema VARCHAR,
              table_name VARCHAR, column_name VARCHAR, privilege_type VARCHAR, is_grantable VARCHAR)
            """;
        yield return $"""
            CREATE VIEW {P}character_sets AS SELECT NULL::VARCHAR AS character_set_catalog, NULL::VARCHAR AS character_set_schema,
              'UTF8' AS character_set_name, 'UCS' AS character_repertoire, 'UTF8' AS form_of_use, {db} AS default_collate_catalog,
              'pg_catalog' AS default_collate_schema, 'C.UTF-8' AS default_collate_name
            """;
        yield return $"""
            CREATE TABLE {P}sequences (sequence_catalog VARCHAR, sequence_schema VARCHAR, sequence_name VARCHAR, data_type VARCHAR,
              numeric_precision INTEGER, numeric_precision_radix INTEGER, numeric_scale INTEGER, start_value VARCHAR,
              minimum_value VARCHAR, maximum_value VARCHAR, increment VARCHAR, cycle_option VARCHAR)
            """;
    }
}
