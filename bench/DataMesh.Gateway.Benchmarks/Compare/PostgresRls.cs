using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// The incumbent: PostgreSQL 15 with row-level security and column privileges equivalent to the gateway grant
/// (row filter <c>l_shipmode IN ('MAIL','SHIP')</c>, <c>l_comment</c> hidden). The policy is written the fast way:
/// the allowed modes come from a session setting wrapped in <c>(SELECT …)</c>, so PostgreSQL evaluates it once per
/// query as an InitPlan instead of once per row. B-tree indexes on the point key and on the Q6 date range.
/// </summary>
public static class PostgresRls
{
    public const string ConsumerRole = "consumer";
    public const string ConsumerPassword = "consumer";
    public const string ModesSetting = "datamesh.shipmodes";

    /// <summary>Loads the table (if needed) as its owner and applies the policy, the grants and the indexes.</summary>
    public static string Prepare(string ownerConnectionString, string parquet, long rows)
    {
        var table = Stream.StreamHarness.LoadPostgres(ownerConnectionString, parquet, rows);
        using var connection = new NpgsqlConnection(ownerConnectionString);
        connection.Open();
        Exec(connection, $"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY");
        Exec(connection, $"DROP POLICY IF EXISTS consumer_rows ON {table}");
        Exec(connection, $"CREATE POLICY consumer_rows ON {table} FOR SELECT TO {ConsumerRole} "
            + $"USING (l_shipmode = ANY ((SELECT string_to_array(current_setting('{ModesSetting}'), ','))::text[]))");
        Exec(connection, $"REVOKE ALL ON {table} FROM {ConsumerRole}");
        Exec(connection, $"GRANT SELECT ({TpchQueries.VisibleColumns}) ON {table} TO {ConsumerRole}");
        Exec(connection, $"CREATE INDEX IF NOT EXISTS {table}_orderkey ON {table} (l_orderkey)");
        Exec(connection, $"CREATE INDEX IF NOT EXISTS {table}_shipdate ON {table} (l_shipdate)");
        Exec(connection, $"ANALYZE {table}");
        return table;
    }

    /// <summary>The consumer's connection string: same server, the RLS-bound role, its allowed modes as a session setting.</summary>
    public static string ConsumerConnectionString(string ownerConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(ownerConnectionString)
        {
            Username = ConsumerRole,
            Password = ConsumerPassword,
            Options = $"-c {ModesSetting}=MAIL,SHIP",
        };
        return builder.ConnectionString;
    }

    private static void Exec(NpgsqlConnection connection, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        cmd.ExecuteNonQuery();
    }
}
