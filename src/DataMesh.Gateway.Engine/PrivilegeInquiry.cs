namespace DataMesh.Gateway.Engine;

/// <summary>
/// PostgreSQL's privilege inquiry functions (has_table_privilege, has_column_privilege, has_any_column_privilege,
/// has_schema_privilege, has_database_privilege), answered from what the project's grants show: its shadow catalog.
/// DuckDB's own versions answer true for anything, hidden or absent. As in PostgreSQL, an unknown name is an error
/// (42P01, 42703, 3F000, 3D000, 42704; <see cref="EngineErrors"/> maps the messages), an unknown OID is NULL, and
/// an unknown privilege is 22023. A consumer may read (SELECT, USAGE, CONNECT) and nothing else; a column the grant
/// hides exists (published metadata) but is not readable: false.
/// </summary>
internal static class PrivilegeInquiry
{
    private static string Privileges(string p) =>
        $"list_transform(string_split(upper({p}::VARCHAR), ','), x -> trim(system.main.replace(trim(x), ' WITH GRANT OPTION', '')))";

    /// <summary>The privilege list <paramref name="p"/> must name only <paramref name="known"/>; true when it names one of <paramref name="held"/>.</summary>
    private static string Answer(string p, string known, string held, string subject) => $"""
        CASE WHEN NOT list_bool_and(list_transform({Privileges(p)}, x -> x IN ({known})))
               THEN error('unrecognized privilege type: "' || {p}::VARCHAR || '"')
             WHEN {subject} IS NULL THEN NULL
             ELSE {(held.Length == 0 ? "false" : $"list_has_any({Privileges(p)}, [{held}])")} END
        """;

    private const string TablePrivileges = "'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'";

    public static IEnumerable<string> Statements()
    {
        // A relation by OID (NULL when absent) or by name (an error when absent, as regclass input is in PostgreSQL).
        yield return """
            CREATE OR REPLACE MACRO __datamesh_relation(t) AS CASE
              WHEN TRY_CAST(t AS BIGINT) IS NOT NULL THEN (SELECT min(oid) FROM pg_class WHERE oid = TRY_CAST(t AS BIGINT))
              ELSE COALESCE(to_regclass(t::VARCHAR), error('relation "' || t::VARCHAR || '" does not exist')) END
            """;
        yield return """
            CREATE OR REPLACE MACRO __datamesh_role(u) AS CASE
              WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = u::VARCHAR OR oid::VARCHAR = u::VARCHAR) THEN true
              ELSE error('role "' || u::VARCHAR || '" does not exist') END
            """;
        yield return $"""
            CREATE OR REPLACE MACRO __datamesh_table_privilege(r, p) AS {Answer("p", TablePrivileges, "'SELECT'", "r")}
            """;
        yield return """
            CREATE OR REPLACE MACRO has_table_privilege(t, p) AS __datamesh_table_privilege(__datamesh_relation(t), p),
              (u, t, p) AS CASE WHEN __datamesh_role(u) THEN __datamesh_table_privilege(__datamesh_relation(t), p) END
            """;
        yield return $"""
            CREATE OR REPLACE MACRO __datamesh_any_column_privilege(r, p) AS {Answer("p", "'SELECT', 'INSERT', 'UPDATE', 'REFERENCES'", "'SELECT'", "r")}
            """;
        yield return """
            CREATE OR REPLACE MACRO has_any_column_privilege(t, p) AS __datamesh_any_column_privilege(__datamesh_relation(t), p),
              (u, t, p) AS CASE WHEN __datamesh_role(u) THEN __datamesh_any_column_privilege(__datamesh_relation(t), p) END
            """;
        // A column by name or number: visible (readable), hidden by the grant (false), or absent (an error).
        yield return $$"""
            CREATE OR REPLACE MACRO __datamesh_column(r, c, t) AS CASE
              WHEN r IS NULL THEN NULL
              WHEN EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = r AND attnum > 0
                           AND (attname = c::VARCHAR OR attnum::VARCHAR = c::VARCHAR)) THEN true
              WHEN EXISTS (SELECT 1 FROM {{GatewayMacros.HiddenColumnsTable}} WHERE attrelid = r AND attname = c::VARCHAR) THEN false
              ELSE error('column "' || c::VARCHAR || '" of relation "' || t::VARCHAR || '" does not exist') END
            """;
        yield return $"""
            CREATE OR REPLACE MACRO __datamesh_column_privilege(r, c, t, p) AS
              CASE WHEN __datamesh_column(r, c, t) THEN {Answer("p", "'SELECT', 'INSERT', 'UPDATE', 'REFERENCES'", "'SELECT'", "r")}
                   WHEN __datamesh_column(r, c, t) IS NULL THEN NULL
                   ELSE {Answer("p", "'SELECT', 'INSERT', 'UPDATE', 'REFERENCES'", "", "r")} END
            """;
        yield return """
            CREATE OR REPLACE MACRO has_column_privilege(t, c, p) AS __datamesh_column_privilege(__datamesh_relation(t), c, t, p),
              (u, t, c, p) AS CASE WHEN __datamesh_role(u) THEN __datamesh_column_privilege(__datamesh_relation(t), c, t, p) END
            """;
        yield return $"""
            CREATE OR REPLACE MACRO __datamesh_schema_privilege(s, p) AS {Answer("p", "'USAGE', 'CREATE'", "'USAGE'",
                "COALESCE((SELECT min(oid) FROM pg_namespace WHERE nspname = s::VARCHAR OR oid::VARCHAR = s::VARCHAR), CASE WHEN TRY_CAST(s AS BIGINT) IS NULL THEN error('schema \"' || s::VARCHAR || '\" does not exist') END)")}
            """;
        yield return """
            CREATE OR REPLACE MACRO has_schema_privilege(s, p) AS __datamesh_schema_privilege(s, p),
              (u, s, p) AS CASE WHEN __datamesh_role(u) THEN __datamesh_schema_privilege(s, p) END
            """;
        yield return $"""
            CREATE OR REPLACE MACRO __datamesh_database_privilege(d, p) AS {Answer("p", "'CONNECT', 'CREATE', 'TEMPORARY', 'TEMP'", "'CONNECT'",
                "COALESCE((SELECT min(oid) FROM pg_database WHERE datname = d::VARCHAR OR oid::VARCHAR = d::VARCHAR), CASE WHEN TRY_CAST(d AS BIGINT) IS NULL THEN error('database \"' || d::VARCHAR || '\" does not exist') END)")}
            """;
        yield return """
            CREATE OR REPLACE MACRO has_database_privilege(d, p) AS __datamesh_database_privilege(d, p),
              (u, d, p) AS CASE WHEN __datamesh_role(u) THEN __datamesh_database_privilege(d, p) END
            """;
    }
}
