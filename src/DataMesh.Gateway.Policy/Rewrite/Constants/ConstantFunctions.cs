namespace DataMesh.Gateway.Policy.Rewrite.Constants;

/// <summary>
/// How a call's value depends on more than its arguments, for constant folding. A call with constant arguments is
/// <em>immutable</em> unless it is listed here: its value and its error then depend only on the query text and on the
/// project's instance (its settings, macros and shadow catalog), so it can be evaluated once at planning and the
/// answer cached with the rewrite.
/// </summary>
public static class ConstantFunctions
{
    /// <summary>A new value on every call (per row): never a constant, and DuckDB evaluates it per row.</summary>
    public static readonly IReadOnlySet<string> Volatile = new HashSet<string>(StringComparer.Ordinal)
    {
        "random", "uuid", "uuidv4", "uuidv7", "gen_random_uuid",
    };

    /// <summary>
    /// Constant within one statement but not across statements or sessions: the clock, and the gateway macros that
    /// read the session's identity, settings or search path. Their value cannot go into a plan shared by sessions.
    /// </summary>
    public static readonly IReadOnlySet<string> SessionOrClock = new HashSet<string>(StringComparer.Ordinal)
    {
        // The clock (DuckDB evaluates these once per query, which makes them foldable constants there).
        "now", "get_current_timestamp", "transaction_timestamp", "current_timestamp", "current_date", "today",
        "get_current_time", "current_time", "current_localtime", "current_localtimestamp", "localtime", "localtimestamp",
        "age", "ago", "pg_postmaster_start_time", "pg_conf_load_time",
        // The session, through the variables the gateway sets on each engine connection.
        "current_user", "session_user", "user", "current_database", "current_catalog", "current_schema", "current_schemas",
        "pg_backend_pid", "current_setting", "to_regrole", "pg_get_userbyid",
        "has_any_column_privilege", "has_column_privilege", "has_database_privilege", "has_schema_privilege",
        "has_table_privilege", "has_sequence_privilege", "has_function_privilege", "has_foreign_data_wrapper_privilege",
        "has_language_privilege", "has_server_privilege", "has_tablespace_privilege", "pg_has_role",
    };
}
