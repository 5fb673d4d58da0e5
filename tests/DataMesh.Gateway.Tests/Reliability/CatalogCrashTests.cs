using DataMesh.Gateway.Tests.Infrastructure;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Crash safety of the catalog: the real gateway runs as a separate process, a client streams admin commands and
/// the process is killed with SIGKILL at a random point, several times on one data directory. After every kill the
/// gateway restarts and the catalog must hold every acknowledged change, nothing half-applied, an audit record for
/// every acknowledged change, and pass SQLite's integrity check.
/// </summary>
public sealed class CatalogCrashTests(ITestOutputHelper output)
{
    /// <summary>Kills per run: 5 in CI; DATAMESH_CRASH_ROUNDS=50 for the longer documented run (docs/TESTING.md).</summary>
    private static readonly int Rounds = Environment.GetEnvironmentVariable("DATAMESH_CRASH_ROUNDS") is { } r
        ? int.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : 5;
    private const int MaxIterationsPerRound = 400;

    /// <summary>What one acknowledged command promised.</summary>
    private sealed record Acknowledged(string Kind, string Statement, string Subject, string? Other = null, long Id = 0);

    [Fact]
    public async Task Kill_9_mid_stream_never_loses_acknowledged_commands_or_half_applies_one()
    {
        var seed = Environment.GetEnvironmentVariable("DATAMESH_CRASH_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount;
        output.WriteLine($"random seed {seed} (set DATAMESH_CRASH_SEED to replay), {Rounds} kill -9 round(s)");
        var random = new Random(seed);
        var dataDir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var acknowledged = new List<Acknowledged>();
        int[] baseDelays = [150, 400, 800, 1500, 2500];

        for (var round = 0; round < Rounds; round++)
        {
            var port = FreePorts.Next();
            using var gateway = StartGateway(dataDir, port);
            try
            {
                await WaitUntilConnectable(port, gateway);
                // Everything acknowledged before this start (and the kill before it) must still be there.
                await VerifyAsync(port, dataDir, acknowledged, $"start of round {round}");

                var delay = baseDelays[round % baseDelays.Length] + random.Next(0, 400);
                using var stop = new CancellationTokenSource();
                var stream = Task.Run(() => StreamCommandsAsync(port, round, acknowledged, stop.Token));
                await Task.Delay(delay);
                Assert.False(stream.IsCompleted, "the command stream is still running when the gateway is killed");
                Kill9(gateway);
                var sent = await stream;
                output.WriteLine($"round {round}: killed after {delay} ms, {sent} command(s) acknowledged in this round");
                Assert.True(gateway.WaitForExit(10_000), "the killed gateway exits");
            }
            finally
            {
                if (!gateway.HasExited) gateway.Kill(entireProcessTree: true);
            }
            AssertIntegrity(dataDir);
        }

        // A final start: the catalog is complete and consistent after the last kill too; then a clean stop.
        var finalPort = FreePorts.Next();
        using (var last = StartGateway(dataDir, finalPort))
        {
            try
            {
                await WaitUntilConnectable(finalPort, last);
                await VerifyAsync(finalPort, dataDir, acknowledged, "final start");
                Process.Start("kill", ["-TERM", last.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
                Assert.True(last.WaitForExit(30_000), "the gateway stops on SIGTERM");
            }
            finally
            {
                if (!last.HasExited) last.Kill(entireProcessTree: true);
            }
        }
        AssertIntegrity(dataDir);
        Assert.True(acknowledged.Count > 20, $"the stream got going before the kills ({acknowledged.Count} acknowledged)");
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    /// <summary>
    /// Sends user/group/project/membership/subscription commands until the connection dies. Only commands whose
    /// CommandComplete (and ReadyForQuery) arrived are added to <paramref name="acknowledged"/>.
    /// </summary>
    private static async Task<int> StreamCommandsAsync(int port, int round, List<Acknowledged> acknowledged, CancellationToken cancel)
    {
        var count = 0;
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString(port));
            await connection.OpenAsync(cancel);
            for (var i = 0; i < MaxIterationsPerRound; i++)
            {
                var user = $"cu_{round}_{i}";
                var group = $"cg_{round}_{i}";
                var project = $"cp_{round}_{i}";

                await Run(connection, $"CREATE USER {user} PASSWORD 'pw_{user}'");
                Ack(new("user", $"CREATE USER {user} PASSWORD '********'", user));
                await Run(connection, $"CREATE GROUP {group}");
                Ack(new("group", $"CREATE GROUP {group}", group));
                await Run(connection, $"ALTER GROUP {group} ADD USER {user}");
                Ack(new("group member", $"ALTER GROUP {group} ADD USER {user}", group, user));
                await Run(connection, $"CREATE PROJECT {project} ACCOUNT acct_research PROFILE sql_analytics DESCRIPTION 'crash round {round}'");
                Ack(new("project", $"CREATE PROJECT {project} ACCOUNT acct_research PROFILE sql_analytics DESCRIPTION 'crash round {round}'", project));
                await Run(connection, $"ADD MEMBER {user} TO PROJECT {project} AS OWNER");
                Ack(new("member", $"ADD MEMBER {user} TO PROJECT {project} AS OWNER", project, user));
                await Run(connection, $"ADD MEMBER GROUP {group} TO PROJECT {project} AS VIEWER");
                Ack(new("member", $"ADD MEMBER GROUP {group} TO PROJECT {project} AS VIEWER", project, group));
                var request = $"REQUEST SUBSCRIPTION TO marketing.campaigns FOR PROJECT {project} JUSTIFICATION 'crash test {round}/{i}'";
                var id = await Scalar(connection, request);
                Ack(new("request", request, project, Id: id));
                if (i % 2 == 0)
                {
                    var approve = $"APPROVE SUBSCRIPTION {id} INCLUDE COLUMNS (campaign_id, budget) COMMENT 'ok {round}/{i}'";
                    await Run(connection, approve);
                    Ack(new("approved", approve, project, Id: id));
                }
                else
                {
                    var reject = $"REJECT SUBSCRIPTION {id} COMMENT 'no {round}/{i}'";
                    await Run(connection, reject);
                    Ack(new("rejected", reject, project, Id: id));
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // the gateway was killed: the command in flight is neither acknowledged nor required
        }
        return count;

        void Ack(Acknowledged a)
        {
            lock (acknowledged) acknowledged.Add(a);
            count++;
        }

        async Task Run(NpgsqlConnection c, string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 30 };
            await using var reader = await cmd.ExecuteReaderAsync(cancel);
            while (await reader.ReadAsync(cancel))
            {
            }
        }

        async Task<long> Scalar(NpgsqlConnection c, string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 30 };
            await using var reader = await cmd.ExecuteReaderAsync(cancel);
            Assert.True(await reader.ReadAsync(cancel));
            var value = reader.GetInt64(0);
            while (await reader.ReadAsync(cancel))
            {
            }
            return value;
        }
    }

    private async Task VerifyAsync(int port, string dataDir, List<Acknowledged> acknowledged, string when)
    {
        List<Acknowledged> expected;
        lock (acknowledged) expected = [.. acknowledged];

        await using var carol = new NpgsqlConnection(ConnectionString(port));
        await carol.OpenAsync();
        var users = (await Rows(carol, "SHOW USERS")).Select(r => (string)r["user"]!).ToHashSet();
        var groups = (await Rows(carol, "SHOW GROUPS")).ToDictionary(r => (string)r["group"]!, r => ((string)r["members"]!).Split(", ", StringSplitOptions.RemoveEmptyEntries).ToHashSet());
        var projects = (await Rows(carol, "SHOW PROJECTS")).Select(r => (string)r["project"]!).ToHashSet();
        var audit = await Rows(carol, "SHOW AUDIT LIMIT 10000");
        var projectMembers = new Dictionary<string, HashSet<string>>();
        var okStatements = audit.Where(r => (string?)r["outcome"] == "ok").Select(r => (string?)r["statement"]).ToHashSet();

        foreach (var a in expected)
        {
            switch (a.Kind)
            {
                case "user":
                    Assert.True(users.Contains(a.Subject), $"{when}: acknowledged user {a.Subject} is missing");
                    break;
                case "group":
                    Assert.True(groups.ContainsKey(a.Subject), $"{when}: acknowledged group {a.Subject} is missing");
                    break;
                case "group member":
                    Assert.True(groups.TryGetValue(a.Subject, out var members) && members.Contains(a.Other!), $"{when}: acknowledged member {a.Other} of group {a.Subject} is missing");
                    break;
                case "project":
                    Assert.True(projects.Contains(a.Subject), $"{when}: acknowledged project {a.Subject} is missing");
                    break;
                case "member":
                    if (!projectMembers.TryGetValue(a.Subject, out var shown))
                        projectMembers[a.Subject] = shown = (await Rows(carol, $"SHOW MEMBERS OF PROJECT {a.Subject}")).Select(r => (string)r["member"]!).ToHashSet();
                    Assert.True(shown.Contains(a.Other!), $"{when}: acknowledged member {a.Other} of project {a.Subject} is missing");
                    break;
            }
            Assert.True(okStatements.Contains(a.Statement), $"{when}: no ok audit record for acknowledged \"{a.Statement}\"");
        }

        // Subscriptions: acknowledged decisions hold, with who and when.
        var byProject = new Dictionary<string, List<Dictionary<string, object?>>>();
        foreach (var a in expected.Where(a => a.Kind is "request" or "approved" or "rejected"))
        {
            if (!byProject.TryGetValue(a.Subject, out var subs))
                byProject[a.Subject] = subs = await Rows(carol, $"SHOW SUBSCRIPTIONS FOR PROJECT {a.Subject}");
            var row = subs.SingleOrDefault(r => (long)r["subscription"]! == a.Id);
            Assert.True(row is not null, $"{when}: acknowledged subscription {a.Id} of project {a.Subject} is missing");
            var status = (string)row!["status"]!;
            switch (a.Kind)
            {
                case "request":
                    Assert.Contains(status, new[] { "pending", "approved", "rejected" });
                    break;
                case "approved":
                    Assert.Equal("approved", status);
                    Assert.Equal("carol", row["decided_by"]);
                    Assert.NotNull(row["decided_at"]);
                    Assert.Equal("only campaign_id, budget", row["columns"]);
                    break;
                case "rejected":
                    Assert.Equal("rejected", status);
                    Assert.Equal("carol", row["decided_by"]);
                    Assert.NotNull(row["decided_at"]);
                    break;
            }
        }

        // The reverse direction: every ok audit record of a crash-stream change has its effect in the catalog
        // (the change and its audit record commit together or not at all).
        foreach (var statement in okStatements.OfType<string>())
        {
            if (statement.StartsWith("CREATE USER cu_", StringComparison.Ordinal))
                Assert.True(users.Contains(statement.Split(' ')[2]), $"{when}: audited \"{statement}\" but the user does not exist");
            else if (statement.StartsWith("CREATE GROUP cg_", StringComparison.Ordinal))
                Assert.True(groups.ContainsKey(statement.Split(' ')[2]), $"{when}: audited \"{statement}\" but the group does not exist");
            else if (statement.StartsWith("CREATE PROJECT cp_", StringComparison.Ordinal))
                Assert.True(projects.Contains(statement.Split(' ')[2]), $"{when}: audited \"{statement}\" but the project does not exist");
        }

        VerifyStoreConsistency(dataDir, okStatements, when);
    }

    /// <summary>Read-only look at catalog.db: projects complete, subscription decisions consistent.</summary>
    private static void VerifyStoreConsistency(string dataDir, HashSet<string?> okStatements, string when)
    {
        using var connection = OpenReadOnly(dataDir);
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name, profile, resources FROM projects";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                var resources = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2))!;
                if (reader.GetString(1) == "sql_analytics")
                {
                    foreach (var key in new[] { "workspace", "memory_limit", "threads", "statement_timeout" })
                        Assert.True(resources.ContainsKey(key), $"{when}: project {name} has no {key} resource");
                    Assert.True(File.Exists(resources["workspace"]), $"{when}: project {name}'s workspace {resources["workspace"]} does not exist");
                }
                if (name.StartsWith("cp_", StringComparison.Ordinal))
                    Assert.True(okStatements.Any(s => s is not null && s.StartsWith($"CREATE PROJECT {name} ", StringComparison.Ordinal)),
                        $"{when}: project {name} exists without an ok audit record");
            }
        }
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT id, status, decided_by, decided_at, include_columns FROM subscriptions";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                var status = reader.GetString(1);
                var decided = !reader.IsDBNull(2);
                Assert.True(decided == !reader.IsDBNull(3), $"{when}: subscription {id} has decided_by and decided_at out of step");
                Assert.True(decided == (status != "pending"), $"{when}: subscription {id} is {status} but decided_by is {(decided ? "set" : "null")}");
            }
        }
    }

    private static void AssertIntegrity(string dataDir)
    {
        using var connection = OpenReadOnly(dataDir);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", cmd.ExecuteScalar() as string);
    }

    private static SqliteConnection OpenReadOnly(string dataDir)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "catalog.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static async Task<List<Dictionary<string, object?>>> Rows(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 60 };
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static Process StartGateway(string dataDir, int port)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "datamesh.dll"), "serve", "--demo", "--data-dir", dataDir, "--listen", $"127.0.0.1:{port}", "--log-format", "simple" })
            start.ArgumentList.Add(a);
        start.Environment["DATAMESH_SHUTDOWNGRACESECONDS"] = "1";
        start.Environment["DATAMESH_LOGLEVEL"] = "Warning";
        var process = Process.Start(start)!;
        // Drain the output so a chatty gateway never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGKILL, as kill -9: no shutdown code runs.</summary>
    private static void Kill9(Process process)
    {
        using var kill = Process.Start("kill", ["-9", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private static async Task WaitUntilConnectable(int port, Process gateway)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(gateway.HasExited, "the gateway exited during startup");
            try
            {
                await using var probe = new NpgsqlConnection(ConnectionString(port));
                await probe.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (watch.Elapsed < TimeSpan.FromSeconds(90))
            {
                await Task.Delay(100);
            }
        }
    }

    private static string ConnectionString(int port) =>
        $"Host=127.0.0.1;Port={port};Username=carol;Password=carol;Database=postgres;SSL Mode=Disable;Pooling=false;Timeout=5;Command Timeout=30";
}
