using System.Diagnostics;
using System.Globalization;
using DataMesh.Gateway.Benchmarks.Compare;
using DataMesh.Gateway.Benchmarks.Scale;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Coherence;

/// <summary>
/// <c>fleet-propagation [--rounds N]</c>: how long a grant change made on one node takes to hold in an open session on
/// another, for two real gateway processes on one PostgreSQL catalog (a scratch server), side by side in one run:
/// following the catalog by LISTEN/NOTIFY (the default) and by polling only (<c>CatalogListen=false</c>, every
/// <c>CatalogFollowSeconds</c> = 1 s). Each round: bob's open session on node B reads <c>sales</c> in a tight loop;
/// node A revokes his subscription (timed from the REVOKE's reply, i.e. its commit, to B's first 42501), then requests
/// and approves a new one (timed from the APPROVE's reply to B's first row count). Rounds start at random offsets
/// (0–250 ms) so polling's phase is not fixed.
/// </summary>
public static class PropagationHarness
{
    private const string Probe = "SELECT count(*) FROM sales";

    public static int Run(string[] args)
    {
        var rounds = 100;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--rounds") rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            else throw new ArgumentException("usage: fleet-propagation [--rounds N]");
        }
        using var postgres = ScratchPostgres.Start();
        var results = new List<(string Mode, Samples Revoke, Samples Grant)>();
        foreach (var (mode, listen) in new[] { ("LISTEN/NOTIFY", true), ("polling only (1 s)", false) })
        {
            var database = listen ? "listen_catalog" : "poll_catalog";
            var (revoke, grant) = Measure(postgres, database, listen, rounds);
            results.Add((mode, revoke, grant));
            Console.Error.WriteLine($"{mode}: revoke {revoke}; grant {grant}");
        }
        Console.WriteLine($"fleet-propagation: {rounds} rounds per mode, load average {GatewayChild.LoadAverage()}, {Environment.ProcessorCount} cores");
        Console.WriteLine("| following | change | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        foreach (var (mode, revoke, grant) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {mode} | revoke on A → 42501 on B | {revoke.P50:F1} | {revoke.P99:F1} | {revoke.P(100):F1} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {mode} | grant on A → rows on B | {grant.P50:F1} | {grant.P99:F1} | {grant.P(100):F1} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"revoke p50 ratio polling / LISTEN: {results[1].Revoke.P50 / results[0].Revoke.P50:F1}x; p99: {results[1].Revoke.P99 / results[0].Revoke.P99:F1}x"));
        return 0;
    }

    private static (Samples Revoke, Samples Grant) Measure(ScratchPostgres postgres, string database, bool listen, int rounds)
    {
        postgres.CreateDatabase(database);
        var scratch = Directory.CreateTempSubdirectory("datamesh-fleet-bench-").FullName;
        try
        {
            var environment = new Dictionary<string, string> { ["CATALOG_PASSWORD"] = ScratchPostgres.Password, ["CATALOGLISTEN"] = listen ? "true" : "false" };
            AddCarol(postgres.Url(database), Path.Combine(scratch, "cli"));
            var root = Path.Combine(scratch, "accounts");
            WriteSales(Path.Combine(root, "producer"));
            Directory.CreateDirectory(Path.Combine(root, "consumer"));
            string[] serve = ["--catalog", postgres.Url(database)];
            using var a = GatewayChild.Start(Path.Combine(scratch, "a"), environment, serve);
            using var b = GatewayChild.Start(Path.Combine(scratch, "b"), environment, serve);
            a.WaitForPort(TimeSpan.FromMinutes(2));
            b.WaitForPort(TimeSpan.FromMinutes(2));
            using var carol = Open(a, "carol", "postgres");
            foreach (var sql in new[]
                     {
                         $"ASSOCIATE ACCOUNT acct LOCATION '{root}' ADMIN carol", "ACCEPT ACCOUNT acct",
                         "CREATE PROJECT PROFILE prof BLUEPRINTS (query_limits WITH (memory = '1GB'))",
                         "CREATE PROJECT producer ACCOUNT acct PROFILE prof", "CREATE PROJECT consumer ACCOUNT acct PROFILE prof",
                         "CREATE USER bob PASSWORD 'bob'", "ADD MEMBER bob TO PROJECT consumer AS VIEWER",
                         "CREATE ASSET producer.sales FROM 'data.parquet'", "PUBLISH ASSET producer.sales",
                     })
                Scalar(carol, sql);
            using var bob = Open(b, "bob", "consumer");
            var random = new Random(22);
            Samples revoke = new(), grant = new();
            for (var round = 0; round < rounds; round++)
            {
                var id = Convert.ToInt64(Scalar(carol, "REQUEST SUBSCRIPTION TO producer.sales FOR PROJECT consumer JUSTIFICATION 'bench'"), CultureInfo.InvariantCulture);
                Thread.Sleep(random.Next(250));
                Scalar(carol, $"APPROVE SUBSCRIPTION {id}");
                grant.Add(Until(bob, expectRows: true));
                Thread.Sleep(random.Next(250));
                Scalar(carol, $"REVOKE SUBSCRIPTION {id}");
                revoke.Add(Until(bob, expectRows: false));
            }
            return (revoke, grant);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Milliseconds until bob's probe answers rows (or 42501): the change has reached his node.</summary>
    private static double Until(NpgsqlConnection bob, bool expectRows)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            bool rows;
            try
            {
                Scalar(bob, Probe);
                rows = true;
            }
            catch (PostgresException e) when (e.SqlState is "42501" or "42P01") // revoked; or never granted in this session
            {
                rows = false;
            }
            if (rows == expectRows) return watch.Elapsed.TotalMilliseconds;
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("the change never reached node B");
        }
    }

    private static NpgsqlConnection Open(GatewayChild node, string user, string database)
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={node.Port};Username={user};Password={user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=60");
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                connection.Open();
                return connection;
            }
            catch (PostgresException e) when (e.SqlState is "57P03" or "28P01" && watch.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(100); // still loading its catalog, or the user made on the other node has not reached it yet
            }
        }
    }

    private static object? Scalar(NpgsqlConnection connection, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection);
        return cmd.ExecuteScalar();
    }

    private static void AddCarol(string url, string dataDir)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "datamesh.dll"), "user", "add", "carol", "--password", "carol", "--domain-admin", "--catalog", url, "--data-dir", dataDir })
            start.ArgumentList.Add(a);
        start.Environment["DATAMESH_CATALOG_PASSWORD"] = ScratchPostgres.Password;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("datamesh user add failed: " + error.Result);
    }

    /// <summary>Ten rows of id, region and email as the producer's data.parquet.</summary>
    private static void WriteSales(string directory)
    {
        Directory.CreateDirectory(directory);
        using var duck = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var cmd = duck.CreateCommand();
        cmd.CommandText = $"COPY (SELECT i::BIGINT AS id, 'r' || (i % 3) AS region, 'u' || i || '@x' AS email FROM range(10) t(i)) TO '{Path.Combine(directory, "data.parquet")}' (FORMAT parquet)";
        cmd.ExecuteNonQuery();
    }
}
