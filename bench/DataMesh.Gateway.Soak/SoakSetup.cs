using System.Globalization;
using DuckDB.NET.Data;
using Npgsql;

namespace DataMesh.Gateway.Soak;

/// <summary>
/// What the soak needs on top of the demo catalog: the marker asset <c>marketing.soak_markers</c> (every row carries
/// a marker; each consumer project has markers of its own, one per grant generation), one consumer project and user
/// per project, nothing granted yet. The admin clients grant and revoke during the run.
/// </summary>
public static class SoakSetup
{
    public const string Asset = "marketing.soak_markers";

    /// <summary>Markers per project: generation g of project p's grant admits exactly marker p * Generations + g % Generations.</summary>
    public const int Generations = 16;
    public const int RowsPerMarker = 500;

    public static string ProjectName(int p) => $"soak_c{p}";
    public static string UserName(int p) => $"soak_u{p}";
    public static string Password(int p) => $"soak_pw{p}";
    public static int Marker(int project, int generation) => project * Generations + generation % Generations;
    public static int OwnerOf(int marker) => marker / Generations;

    public static async Task RunAsync(string connectionRoot, string dataDir, int projects)
    {
        var dir = Path.Combine(dataDir, "accounts", "acct_marketing", "marketing", "soak"); // project marketing's storage prefix
        Directory.CreateDirectory(dir);
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var cmd = duck.CreateCommand();
            var markers = projects * Generations;
            cmd.CommandText = $"COPY (SELECT (range % {markers})::INTEGER AS marker, range AS seq, md5(range::VARCHAR) AS payload " +
                $"FROM range({markers * RowsPerMarker})) TO '{Path.Combine(dir, "markers.parquet").Replace("'", "''")}' (FORMAT parquet)";
            cmd.ExecuteNonQuery();
        }
        await using (var alice = await OpenAsync(connectionRoot, "alice", "alice", "postgres"))
        {
            await ExecAsync(alice, $"CREATE ASSET {Asset} FROM 'soak/*.parquet' DESCRIPTION 'soak test marker rows'");
            await ExecAsync(alice, $"PUBLISH ASSET {Asset}");
        }
        await using var carol = await OpenAsync(connectionRoot, "carol", "carol", "postgres");
        for (var p = 0; p < projects; p++)
        {
            await ExecAsync(carol, $"CREATE PROJECT {ProjectName(p)} ACCOUNT acct_research PROFILE sql_analytics DESCRIPTION 'soak consumer {p}'");
            await ExecAsync(carol, $"CREATE USER {UserName(p)} PASSWORD '{Password(p)}'");
            await ExecAsync(carol, $"ADD MEMBER {UserName(p)} TO PROJECT {ProjectName(p)} AS CONTRIBUTOR");
        }
    }

    public static string ConnectionString(string root, string user, string password, string database) =>
        $"{root};Username={user};Password={password};Database={database}";

    public static async Task<NpgsqlConnection> OpenAsync(string root, string user, string password, string database)
    {
        var connection = new NpgsqlConnection(ConnectionString(root, user, password, database));
        await connection.OpenAsync();
        return connection;
    }

    public static async Task ExecAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
    }

    public static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
