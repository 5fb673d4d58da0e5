using DataMesh.Gateway.Tests.Admin;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Graceful shutdown of the real gateway process under load: SIGTERM or SIGINT while many clients stream and an
/// admin client streams catalog changes. Running queries are cancelled at the deadline with 57P01 (never a bare
/// dropped socket), the process exits 0, and after a restart every acknowledged change is in the catalog with its
/// audit record and nothing is half-applied. A query that ends within the grace period completes normally.
/// </summary>
public sealed class ShutdownUnderLoadTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("TERM", 8)]
    [InlineData("INT", 4)]
    public async Task Signal_while_clients_stream_cancels_them_with_57P01_at_the_deadline_and_keeps_the_catalog_consistent(string signal, int streams)
    {
        var dataDir = GatewayProcess.NewDataDir("shutdown");
        var acknowledged = new List<string>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using (var gateway = GatewayProcess.Start(dataDir, graceSeconds: 2))
        {
            await gateway.WaitUntilConnectableAsync();
            output.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s: connectable");
            var running = new List<Task<Exception?>>();
            for (var i = 0; i < streams; i++)
            {
                // Half aggregate (the engine works, nothing is sent), half stream rows as fast as the client reads.
                var sql = i % 2 == 0
                    ? "SELECT count(*) FROM range(100000000000) t(x) WHERE x % 7 = 3"
                    : "SELECT x, x * 2 AS y FROM range(100000000000) t(x)";
                running.Add(RunUntilStoppedAsync(gateway.ConnectionString("alice", "marketing"), sql));
            }
            using var stopAdmin = new CancellationTokenSource();
            var admin = StreamGroupsAsync(gateway.ConnectionString("carol", "postgres"), acknowledged, stopAdmin.Token);
            // The signal must find the queries running, not still signing in (a sign-in cut short by shutdown gets
            // 57P01 too, but that is not what this test is about).
            await WaitUntilAsync(() => Occurrences(gateway.Log, "started: user alice,") >= streams, "the streaming sessions started");
            await WaitUntilAsync(() => Count(acknowledged) >= 5, "the admin stream got going");
            await Task.Delay(300);
            output.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s: {streams} streaming sessions started, {Count(acknowledged)} admin commands acknowledged; SIG{signal}");

            gateway.Signal(signal);
            var outcomes = await Task.WhenAll(running);
            output.WriteLine($"{watch.Elapsed.TotalSeconds:F1} s: every running query ended");
            foreach (var e in outcomes)
            {
                var pg = e as PostgresException ?? e?.InnerException as PostgresException;
                Assert.True(pg is { SqlState: "57P01" }, $"a running query ends with 57P01, got {e?.GetType().Name}: {e?.Message}");
            }
            Assert.True(gateway.WaitForExit(TimeSpan.FromSeconds(60)), "the gateway exits after the grace period");
            Assert.Equal(0, gateway.Process.ExitCode);
            stopAdmin.Cancel();
            var adminEnd = await admin;
            output.WriteLine($"SIG{signal}: {Count(acknowledged)} admin command(s) acknowledged; the admin stream ended with {adminEnd?.GetType().Name}: {adminEnd?.Message}");
            Assert.Contains("Shutdown complete", gateway.Log);
        }

        AssertIntegrity(dataDir);
        using var again = GatewayProcess.Start(dataDir, graceSeconds: 1);
        await again.WaitUntilConnectableAsync();
        await using var carol = new NpgsqlConnection(again.ConnectionString("carol", "postgres"));
        await carol.OpenAsync();
        var groups = (await carol.QueryAsync("SHOW GROUPS")).Column("group").Cast<string>().Where(g => g.StartsWith("sg_", StringComparison.Ordinal)).ToHashSet();
        var ok = await OkStatementsAsync(carol);
        foreach (var name in acknowledged)
        {
            Assert.Contains(name, groups);
            Assert.Contains($"CREATE GROUP {name}", ok);
        }
        // Nothing half-applied: every audited creation exists, and every group of the stream was audited.
        foreach (var statement in ok.Where(s => s.StartsWith("CREATE GROUP sg_", StringComparison.Ordinal)))
            Assert.Contains(statement["CREATE GROUP ".Length..], groups);
        foreach (var name in groups) Assert.Contains($"CREATE GROUP {name}", ok);
    }

    [Fact]
    public async Task A_query_that_ends_within_the_grace_period_completes_normally()
    {
        var dataDir = GatewayProcess.NewDataDir("shutdown-grace");
        using var gateway = GatewayProcess.Start(dataDir, graceSeconds: 120);
        await gateway.WaitUntilConnectableAsync();
        await using var alice = new NpgsqlConnection(gateway.ConnectionString("alice", "marketing"));
        await alice.OpenAsync();
        const long rows = 2_000_000;
        await using var cmd = new NpgsqlCommand($"SELECT x FROM range({rows}) t(x)", alice) { CommandTimeout = 300 };
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            // The first row proves the query is running when the signal arrives.
            Assert.True(await reader.ReadAsync());
            gateway.Signal("TERM");
            long count = 1, sum = reader.GetInt64(0);
            while (await reader.ReadAsync())
            {
                count++;
                sum += reader.GetInt64(0);
            }
            Assert.Equal(rows, count);
            Assert.Equal(rows * (rows - 1) / 2, sum);
        }
        // The session is closed once its statement is done; the process then exits cleanly.
        await using var after = new NpgsqlCommand("SELECT 1", alice);
        await Assert.ThrowsAnyAsync<Exception>(() => after.ExecuteScalarAsync());
        Assert.True(gateway.WaitForExit(TimeSpan.FromSeconds(60)), "the gateway exits once the query finished");
        Assert.Equal(0, gateway.Process.ExitCode);
        Assert.DoesNotContain("Grace period over", gateway.Log);
    }

    /// <summary>Runs one query to its end; returns the exception it ended with (null when it completed).</summary>
    private static async Task<Exception?> RunUntilStoppedAsync(string connectionString, string sql)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>CREATE GROUP sg_N until the connection ends; only acknowledged names are recorded.</summary>
    private static async Task<Exception?> StreamGroupsAsync(string connectionString, List<string> acknowledged, CancellationToken stop)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(stop);
            for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
            {
                var name = $"sg_{i}";
                await using var cmd = new NpgsqlCommand($"CREATE GROUP {name}", connection);
                await cmd.ExecuteNonQueryAsync(stop);
                lock (acknowledged) acknowledged.Add(name);
            }
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static async Task<HashSet<string>> OkStatementsAsync(NpgsqlConnection carol)
    {
        var audit = await carol.QueryAsync("SHOW AUDIT LIMIT 10000");
        var statement = audit.IndexOf("statement");
        var outcome = audit.IndexOf("outcome");
        return audit.Rows.Where(r => Equals(r[outcome], "ok")).Select(r => (string)r[statement]!).ToHashSet();
    }

    private static int Count(List<string> list)
    {
        lock (list) return list.Count;
    }

    private static int Occurrences(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"timed out waiting: {what}");
            await Task.Delay(50);
        }
    }

    private static void AssertIntegrity(string dataDir)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "catalog.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", cmd.ExecuteScalar() as string);
    }
}
