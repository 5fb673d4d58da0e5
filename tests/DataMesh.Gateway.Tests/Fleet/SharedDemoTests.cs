using System.Diagnostics;
using System.Globalization;
using System.Text;
using DataMesh.Gateway.Catalog.Postgres;
using DataMesh.Gateway.Demo;
using DataMesh.Gateway.Tests.Infrastructure;
using DataMesh.Gateway.Tests.Reliability;
using Npgsql;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// <c>serve --demo --catalog postgresql://…</c> with real gateway processes: two nodes started at once seed the shared
/// catalog once (a fleet-wide advisory lock: the seed's admin commands run once, none fails as a duplicate, one node
/// generates the producer files); a third node with the same <c>--catalog</c> and no <c>--demo</c> serves the same mesh
/// over the same producer files (the paths the catalog records), row for row. A node that cannot take the lock seeds
/// nothing and answers 57P03 until it can.
/// </summary>
public sealed class SharedDemoTests(PostgresCatalogServer server) : IClassFixture<PostgresCatalogServer>, IDisposable
{
    private readonly ScratchDirectories _dirs = new("fleet-demo");

    [Fact]
    public async Task Two_demo_nodes_started_at_once_seed_once_and_a_node_without_demo_serves_the_same_mesh()
    {
        var (url, environment, database) = NewCatalog();
        using var a = GatewayProcess.Start(_dirs.New("a"), ["--demo", "--catalog", url], environment);
        using var b = GatewayProcess.Start(_dirs.New("b"), ["--demo", "--catalog", url], environment);
        await a.WaitUntilConnectableAsync();
        await b.WaitUntilConnectableAsync();

        GatewayProcess[] demoNodes = [a, b];
        Assert.Equal(1, demoNodes.Count(n => n.Log.Contains("Demo catalog seeded", StringComparison.Ordinal)));
        Assert.Equal(1, demoNodes.Count(n => n.Log.Contains("already holds a mesh", StringComparison.Ordinal)));
        Assert.Equal(1, demoNodes.Count(n => File.Exists(Path.Combine(DemoSetup.MarketingStorage(n.DataDir), ".generated"))));
        // A second seeding would have run every statement again and left each one's duplicate failure (42710) in the audit.
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM audit_log WHERE kind = 'admin' AND outcome <> 'ok'"));
        Assert.Equal(3L, await ScalarAsync(database, "SELECT count(*) FROM projects"));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM audit_log WHERE kind = 'admin' AND statement_text LIKE 'APPROVE SUBSCRIPTION 1 %'"));

        using var c = GatewayProcess.Start(_dirs.New("c"), ["--catalog", url], environment);
        await c.WaitUntilConnectableAsync();
        Assert.False(Directory.Exists(DemoSetup.MarketingStorage(c.DataDir)), "the node without --demo generated producer files");
        (string User, string Database, string Sql)[] reads =
        [
            ("alice", "marketing", "SELECT region, count(*), sum(amount) FROM mkt_sls_table GROUP BY region ORDER BY region"),
            ("bob", "ml_research", "SELECT region, count(*), sum(amount) FROM mkt_sls_table GROUP BY region ORDER BY region"),
            ("alice", "marketing", "SELECT * FROM campaigns ORDER BY 1, 2, 3"),
            ("carol", "postgres", "SHOW PROJECTS"),
            ("carol", "postgres", "SHOW SUBSCRIPTION REQUESTS"),
        ];
        foreach (var (user, db, sql) in reads)
        {
            var expected = await RowsAsync(a, user, db, sql);
            Assert.True(expected.Split('\n').Length > 2, $"{user}@{db}: {sql} returned no rows: {expected}");
            Assert.Equal(expected, await RowsAsync(c, user, db, sql));
            Assert.Equal(expected, await RowsAsync(b, user, db, sql));
        }
        // bob's grant keeps its row filter on the node that never seeded anything.
        var regions = (await RowsAsync(c, "bob", "ml_research", "SELECT region, count(*) FROM mkt_sls_table GROUP BY region")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, regions.Length);
        Assert.StartsWith("Europe|", regions[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_demo_node_seeds_nothing_and_answers_57P03_while_another_holds_the_seed_lock()
    {
        var (url, environment, database) = NewCatalog();
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({DemoSetup.SharedSeedLock})", holder)) await take.ExecuteNonQueryAsync();

        using var node = GatewayProcess.Start(_dirs.New("waiting"), ["--demo", "--catalog", url], environment);
        var watch = Stopwatch.StartNew();
        string? state = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(60) && state != "57P03")
        {
            Assert.False(node.Process.HasExited, "the gateway exited: " + node.Log);
            state = await StateAsync(node);
            if (state != "57P03") await Task.Delay(100);
        }
        Assert.Equal("57P03", state);
        await Task.Delay(TimeSpan.FromSeconds(2)); // long past an unlocked seed's first statements
        Assert.Equal("57P03", await StateAsync(node));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM projects"));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM users"));

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DemoSetup.SharedSeedLock})", holder)) await release.ExecuteNonQueryAsync();
        await node.WaitUntilConnectableAsync();
        Assert.Equal(3L, await ScalarAsync(database, "SELECT count(*) FROM projects"));
        Assert.Contains("Demo catalog seeded", node.Log);
    }

    /// <summary>--demo trusts the demo's token issuer for every user: pointed at a mesh it did not seed, a node refuses to start.</summary>
    [Fact]
    public async Task A_demo_node_refuses_a_shared_catalog_holding_a_mesh_the_demo_did_not_seed()
    {
        var (url, environment, database) = NewCatalog();
        var accounts = _dirs.New("real-accounts");
        using (var admin = DataMesh.Gateway.Admin.AdminCatalog.Open(_dirs.New("admin"), server.OpenStore(database)))
        {
            admin.SetUser("carol", "carol", domainAdmin: true);
            foreach (var sql in new[] { $"ASSOCIATE ACCOUNT finance_store LOCATION '{accounts}' ADMIN carol", "ACCEPT ACCOUNT finance_store",
                         "CREATE PROJECT PROFILE standard BLUEPRINTS (query_limits WITH (memory = '1GB'))", "CREATE PROJECT ledger ACCOUNT finance_store PROFILE standard" })
            {
                Assert.True(DataMesh.Gateway.Sql.Admin.AdminParser.TryParse(DataMesh.Gateway.Sql.Lexing.StatementSplitter.Split(sql).Single(), out var command), sql);
                admin.Executor.Execute(command!, "carol", "postgres", sql);
            }
        }
        using var node = GatewayProcess.Start(_dirs.New("intruder"), ["--demo", "--catalog", url], environment);
        Assert.True(node.WaitForExit(TimeSpan.FromSeconds(90)), "the demo node kept running on a catalog it did not seed");
        Assert.NotEqual(0, node.Process.ExitCode);
        Assert.Contains("--demo on a shared catalog that holds a mesh the demo did not seed", node.Log);
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(*) FROM projects"));
        Assert.Equal(0L, await ScalarAsync(database, "SELECT count(*) FROM users WHERE name IN ('alice', 'bob', 'dave')"));
    }

    /// <summary>The SQLSTATE signing in as carol gets, or "ok".</summary>
    private static async Task<string> StateAsync(GatewayProcess node)
    {
        try
        {
            await using var connection = new NpgsqlConnection(node.ConnectionString("carol", "postgres"));
            await connection.OpenAsync();
            return "ok";
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
        catch (NpgsqlException)
        {
            return "no connection";
        }
    }

    private SharedCatalogDatabase NewCatalog() => SharedCatalogDatabase.From(server.NewDatabase());

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<string> RowsAsync(GatewayProcess node, string user, string database, string sql)
    {
        await using var connection = new NpgsqlConnection(node.ConnectionString(user, database));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var text = new StringBuilder();
        text.AppendJoin('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i) + ":" + reader.GetDataTypeName(i))).Append('\n');
        while (await reader.ReadAsync())
            text.AppendJoin('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))).Append('\n');
        return text.ToString();
    }

    public void Dispose() => _dirs.Dispose();
}
