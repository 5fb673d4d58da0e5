using System.Diagnostics;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>Limits, timeouts, configuration and graceful shutdown, each on a gateway of its own.</summary>
public sealed class ServerLifecycleTests
{
    private static string DemoDirectory() => GatewayFixture.SharedDemoDirectory();

    private static GatewayHost StartHost(Action<GatewaySettings> configure) => GatewayFixture.StartDemoHost(configure);

    private static string ConnectionString(GatewayHost host, string user = "alice") =>
        $"Host=127.0.0.1;Port={host.EndPoint.Port};Username={user};Password={user};Database=marketing;SSL Mode=Disable;Pooling=false;Timeout=10";

    [Fact]
    public async Task Too_many_connections_is_53300_and_the_server_keeps_serving()
    {
        await using var host = StartHost(s => s.MaxConnections = 2);
        await using var a = new NpgsqlConnection(ConnectionString(host));
        await using var b = new NpgsqlConnection(ConnectionString(host));
        await a.OpenAsync();
        await b.OpenAsync();
        await using var c = new NpgsqlConnection(ConnectionString(host));
        var e = await Assert.ThrowsAsync<PostgresException>(() => c.OpenAsync());
        Assert.Equal("53300", e.SqlState);
        await a.CloseAsync();
        await WaitUntil(() => host.Server.ActiveConnections < 2);
        await using var d = new NpgsqlConnection(ConnectionString(host));
        await d.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1", d);
        Assert.Equal(1, await cmd.ExecuteScalarAsync());
    }

    /// <summary>
    /// Engine calls block a thread-pool worker each, one per connection at most: the server raises the pool's minimum to
    /// one worker per allowed connection, so that running queries cannot starve the sign-ins and admin commands of
    /// other connections (ShutdownUnderLoadTests caught an admin command waiting two minutes behind four of them).
    /// 300 is above every other gateway of the test run, so only this host can have raised the minimum that far.
    /// </summary>
    [Fact]
    public async Task The_thread_pool_keeps_a_worker_for_every_allowed_connection()
    {
        await using var host = StartHost(s => s.MaxConnections = 300);
        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= 300, $"minimum worker threads {workers}");
        await using var connection = new NpgsqlConnection(ConnectionString(host));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A client still signing in when the server stops gets FATAL 57P01, as from PostgreSQL, not a bare close.</summary>
    [Fact]
    public async Task A_sign_in_cut_short_by_shutdown_gets_57P01()
    {
        await using var host = StartHost(_ => { });
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(host.EndPoint);
        await using var raw = RawClient.Wrap(tcp);
        await raw.SendAsync(RawClient.StartupMessage("alice", "marketing"));
        var challenge = await raw.ReadMessageAsync(TimeSpan.FromSeconds(10));
        Assert.Equal('R', challenge?.Type); // AuthenticationSASL: the server now waits for the client's first message

        var stopping = host.Server.StopAsync();
        var error = await raw.ReadMessageAsync(TimeSpan.FromSeconds(10));
        Assert.Equal('E', error?.Type);
        var text = System.Text.Encoding.UTF8.GetString(error!.Value.Payload);
        Assert.Contains("C57P01\0", text, StringComparison.Ordinal);
        Assert.Contains("SFATAL\0", text, StringComparison.Ordinal);
        await stopping;
    }

    [Fact]
    public async Task Idle_session_timeout_closes_with_57P05()
    {
        await using var host = StartHost(s => s.IdleSessionTimeoutSeconds = 0.5);
        await using var connection = new NpgsqlConnection(ConnectionString(host));
        await connection.OpenAsync();
        await Task.Delay(1500);
        await using var cmd = new NpgsqlCommand("SELECT 1", connection);
        var e = await Assert.ThrowsAnyAsync<NpgsqlException>(() => cmd.ExecuteScalarAsync());
        var pg = e as PostgresException ?? e.InnerException as PostgresException;
        Assert.True(pg?.SqlState == "57P05" || connection.State != System.Data.ConnectionState.Open, $"unexpected: {e.Message}");
    }

    [Fact]
    public async Task Server_statement_timeout_applies_to_every_session()
    {
        // Planning counts against the timeout (as in PostgreSQL): Npgsql's type-loading query, planned on a cold cache
        // while the machine is loaded, must fit in it at sign-in.
        await using var host = StartHost(s => s.StatementTimeoutSeconds = 2);
        await using var connection = new NpgsqlConnection(ConnectionString(host));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM range(100000000000) t(x) WHERE x % 3 = 1", connection);
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
        Assert.Equal("57014", e.SqlState);
    }

    [Fact]
    public async Task Authentication_timeout_drops_a_client_that_never_finishes_startup()
    {
        await using var host = StartHost(s => s.AuthenticationTimeoutSeconds = 0.5);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(host.EndPoint);
        var stream = tcp.GetStream();
        await stream.WriteAsync(RawClient.BigEndian(100)); // half a startup packet, then nothing
        var buffer = new byte[16];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var read = await stream.ReadAsync(buffer, cts.Token);
        Assert.Equal(0, read); // closed by the server
    }

    [Fact]
    public async Task Environment_and_appsettings_configure_the_host()
    {
        var dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "cfg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "appsettings.json"), """{ "Listen": "127.0.0.1:6001", "MaxConnections": 7, "MemoryLimit": "1GB" }""");
        Environment.SetEnvironmentVariable("DATAMESH_MAXCONNECTIONS", "9");
        try
        {
            var settings = GatewaySettings.Load(new Dictionary<string, string?> { ["MemoryLimit"] = "2GB" }, dir, dir);
            Assert.Equal("127.0.0.1:6001", settings.Listen); // from appsettings.json
            Assert.Equal(9, settings.MaxConnections);        // environment wins over the file
            Assert.Equal("2GB", settings.MemoryLimit);       // command line wins over both
        }
        finally
        {
            Environment.SetEnvironmentVariable("DATAMESH_MAXCONNECTIONS", null);
        }
        await Task.CompletedTask;
    }

    [Fact]
    public async Task User_add_stores_a_verifier_that_authenticates()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "users-" + Guid.NewGuid().ToString("N"));
        var result = await RunDatamesh(["user", "add", "erin", "--data-dir", dataDir], stdin: "erin-secret\n");
        Assert.Equal(0, result.ExitCode);
        var stored = File.ReadAllBytes(Path.Combine(dataDir, "catalog.db"));
        Assert.DoesNotContain("erin-secret", System.Text.Encoding.UTF8.GetString(stored)); // only the verifier is kept
        using (var catalog = DataMesh.Gateway.Admin.AdminCatalog.Open(dataDir))
            Assert.StartsWith("SCRAM-SHA-256$4096:", catalog.Catalog.Snapshot.User("erin")!.Verifier);

        var settings = new GatewaySettings { Listen = "127.0.0.1:0", DataDir = dataDir };
        await using var host = GatewayHost.Start(settings, NullLoggerFactory.Instance, GatewayFixture.SeedDirectory);
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username=erin;Password=erin-secret;Database=postgres;SSL Mode=Disable;Pooling=false");
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 40 + 2", connection);
        Assert.Equal(42, await cmd.ExecuteScalarAsync());
        // Without --demo, the demo users do not exist.
        await using var alice = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username=alice;Password=alice;Database=postgres;SSL Mode=Disable;Pooling=false");
        Assert.Equal("28P01", (await Assert.ThrowsAsync<PostgresException>(() => alice.OpenAsync())).SqlState);
    }

    [Fact]
    public async Task Sigterm_lets_running_queries_finish_until_the_deadline_then_sends_57P01()
    {
        var dataDir = DemoDirectory();
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "datamesh.dll"), "serve", "--demo", "--data-dir", dataDir, "--listen", $"127.0.0.1:{port}", "--log-format", "simple" })
            start.ArgumentList.Add(a);
        start.Environment["DATAMESH_SHUTDOWNGRACESECONDS"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            var cs = $"Host=127.0.0.1;Port={port};Username=alice;Password=alice;Database=marketing;SSL Mode=Disable;Pooling=false;Timeout=5";
            await WaitUntil(async () =>
            {
                try
                {
                    await using var probe = new NpgsqlConnection(cs);
                    await probe.OpenAsync();
                    return true;
                }
                catch (NpgsqlException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60));

            await using var busy = new NpgsqlConnection(cs);
            await busy.OpenAsync();
            await using var idle = new NpgsqlConnection(cs);
            await idle.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM range(100000000000) t(x) WHERE x % 3 = 1", busy) { CommandTimeout = 60 };
            var running = cmd.ExecuteScalarAsync();
            await Task.Delay(500);

            var watch = Stopwatch.StartNew();
            Process.Start("kill", ["-TERM", process.Id.ToString()]).WaitForExit();
            var e = await Assert.ThrowsAnyAsync<Exception>(() => running);
            var pg = e as PostgresException ?? e.InnerException as PostgresException;
            Assert.Equal("57P01", pg?.SqlState);
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.8), "the running query was given its grace period");
            Assert.True(process.WaitForExit(15_000), "the server exits after shutdown");
            Assert.Equal(0, process.ExitCode);

            await using var after = new NpgsqlCommand("SELECT 1", idle);
            await Assert.ThrowsAnyAsync<Exception>(() => after.ExecuteScalarAsync()); // idle session was closed too
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        var log = await stderr + await stdout;
        Assert.Contains("Shutdown complete", log);
        Assert.DoesNotContain("alice\"", log.Replace("user alice", "")); // no password in logs
    }

    private static async Task<(int ExitCode, string Output)> RunDatamesh(string[] args, string? stdin = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "datamesh.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private static Task WaitUntil(Func<bool> condition) => WaitUntil(() => Task.FromResult(condition()), TimeSpan.FromSeconds(10));

    private static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout) throw new TimeoutException("condition not met");
            await Task.Delay(100);
        }
    }
}
