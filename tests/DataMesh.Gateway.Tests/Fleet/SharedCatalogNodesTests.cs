using System.Diagnostics;
using DataMesh.Gateway.Catalog.Postgres;
using DataMesh.Gateway.Tests.Infrastructure;
using DataMesh.Gateway.Tests.Reliability;
using Npgsql;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// Two real gateway processes on one PostgreSQL catalog (<c>serve --catalog postgresql://…</c> and the same through
/// DATAMESH_CATALOG), the password from the environment only: a user bootstrapped through one signs in on both, and an
/// admin change made on either node shows on the other. SHOW commands read the store itself; signing in reads the node's
/// snapshot, which follows the catalog's change log by polling every second (CatalogFollowSeconds): a user created on
/// one node signs in on the other within 2 s. (LISTEN/NOTIFY and revokes cutting open sessions are not built yet.)
/// </summary>
public sealed class SharedCatalogNodesTests(PostgresCatalogServer server) : IClassFixture<PostgresCatalogServer>, IDisposable
{
    private readonly ScratchDirectories _dirs = new("fleet");

    [Fact]
    public async Task Two_nodes_on_one_catalog_serve_the_same_users_and_see_each_others_changes()
    {
        var (url, environment, _) = SharedCatalogDatabase.From(server.NewDatabase());
        DatameshCli.Run(["user", "add", "carol", "--password", "carol", "--domain-admin", "--catalog", url, "--data-dir", _dirs.New("a")], environment);

        using var a = GatewayProcess.Start(_dirs.New("a"), ["--catalog", url], environment);
        using var b = GatewayProcess.Start(_dirs.New("b"), [], new Dictionary<string, string>(environment) { ["DATAMESH_CATALOG"] = url });
        await a.WaitUntilConnectableAsync();
        await b.WaitUntilConnectableAsync();

        await ExecuteAsync(a, "CREATE GROUP fleet_readers");
        await ExecuteAsync(b, "CREATE GLOSSARY TERM 'Fleet Term' DESCRIPTION 'made on node b'");
        Assert.Contains("fleet_readers", await WithinAsync(b, "SHOW GROUPS", "fleet_readers"));
        Assert.Contains("Fleet Term", await WithinAsync(a, "SHOW GLOSSARY", "Fleet Term"));

        await ExecuteAsync(a, "CREATE USER dave PASSWORD 'dave-secret'");
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var dave = new NpgsqlConnection(b.ConnectionString("dave", "postgres").Replace("Password=dave;", "Password=dave-secret;", StringComparison.Ordinal));
                await dave.OpenAsync();
                break;
            }
            catch (PostgresException e) when (e.SqlState == "28P01" && watch.Elapsed < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(50);
            }
        }
        Assert.False(File.Exists(Path.Combine(a.DataDir, "catalog.db")), "node a created an embedded catalog beside the shared one");
    }

    /// <summary>The rows of <paramref name="sql"/> on <paramref name="node"/> once they contain <paramref name="expected"/> (at most 2 s).</summary>
    private static async Task<string> WithinAsync(GatewayProcess node, string sql, string expected)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var rows = await QueryAsync(node, sql);
            if (rows.Contains(expected, StringComparison.Ordinal) || watch.Elapsed > TimeSpan.FromSeconds(2)) return rows;
            await Task.Delay(50);
        }
    }

    private static async Task ExecuteAsync(GatewayProcess node, string sql)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString("carol", "postgres"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> QueryAsync(GatewayProcess node, string sql)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString("carol", "postgres"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var text = new System.Text.StringBuilder();
        while (await reader.ReadAsync())
            for (var i = 0; i < reader.FieldCount; i++) text.Append(reader.IsDBNull(i) ? "" : reader.GetValue(i)).Append('|');
        return text.ToString();
    }

    public void Dispose() => _dirs.Dispose();
}
