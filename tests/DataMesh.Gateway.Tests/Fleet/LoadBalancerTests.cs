using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Catalog.Postgres;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Clients;
using DataMesh.Gateway.Tests.Infrastructure;
using DataMesh.Gateway.Tests.Reliability;
using Npgsql;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// The fleet profile of docker-compose.yml, checked without a Docker engine: its structure (deploy/check-fleet.py), the
/// DATAMESH_* keys its nodes set (each a real setting), deploy/haproxy.cfg through <c>haproxy -c</c> with the load
/// balancer's environment, and the same haproxy.cfg run by Debian's HAProxy in front of two real gateway processes on
/// one PostgreSQL catalog: sessions through it reach both nodes and read the same rows, and after one node is killed
/// (SIGKILL) new sessions through it keep working on the other.
/// </summary>
public sealed partial class LoadBalancerTests(PostgresCatalogServer server) : IClassFixture<PostgresCatalogServer>, IDisposable
{
    private static readonly string Config = Path.Combine(ClientProcess.RepositoryRoot, "deploy", "haproxy.cfg");
    private readonly ScratchDirectories _dirs = new("fleet-lb");

    [Fact]
    public void The_compose_fleet_profile_is_consistent_and_its_haproxy_config_is_valid()
    {
        var (code, output, error) = Run("python3", [Path.Combine(ClientProcess.RepositoryRoot, "deploy", "check-fleet.py"), ClientProcess.RepositoryRoot], new Dictionary<string, string>());
        Assert.True(code == 0, "deploy/check-fleet.py: " + error);
        using var checkedCompose = JsonDocument.Parse(output);
        var settings = typeof(GatewaySettings).GetProperties().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        string[] readDirectly = [CatalogLocation.PasswordFileVariable, DataMesh.Gateway.Storage.Accounts.SecretBox.KeyVariable];
        foreach (var key in checkedCompose.RootElement.GetProperty("gateway_keys").EnumerateArray().Select(k => k.GetString()!))
            Assert.True(readDirectly.Contains(key) || settings.Contains(key["DATAMESH_".Length..]), $"docker-compose.yml sets {key}, which the gateway does not read");

        var environment = checkedCompose.RootElement.GetProperty("haproxy_environment").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var valid = Run("haproxy", ["-c", "-f", Config], environment);
        Assert.True(valid.Code == 0, "haproxy -c: " + valid.Output + valid.Error);
        // The check really reads the file's variables: without the environment it fails.
        Assert.NotEqual(0, Run("haproxy", ["-c", "-f", Config], new Dictionary<string, string>()).Code);
    }

    [Fact]
    public void The_compose_check_names_a_node_that_does_not_share_the_producer_files()
    {
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "datamesh-tests", "compose-" + Guid.NewGuid().ToString("N"))).FullName;
        _dirs.Add(root);
        Directory.CreateDirectory(Path.Combine(root, "deploy"));
        File.Copy(Config, Path.Combine(root, "deploy", "haproxy.cfg"));
        var compose = File.ReadAllText(Path.Combine(ClientProcess.RepositoryRoot, "docker-compose.yml"));
        var broken = compose.Replace("      - fleet-b-data:/var/lib/datamesh\n      - fleet-accounts:/var/lib/datamesh/accounts\n", "      - fleet-b-data:/var/lib/datamesh\n", StringComparison.Ordinal);
        Assert.NotEqual(compose, broken);
        File.WriteAllText(Path.Combine(root, "docker-compose.yml"), broken);
        var (code, _, error) = Run("python3", [Path.Combine(ClientProcess.RepositoryRoot, "deploy", "check-fleet.py"), root], new Dictionary<string, string>());
        Assert.Equal(1, code);
        Assert.Equal("gateway-b: the shared fleet-accounts volume must be mounted at /var/lib/datamesh/accounts", error.Trim());
    }

    [Fact]
    public async Task Haproxy_spreads_sessions_over_two_nodes_and_keeps_serving_when_one_is_killed()
    {
        var (url, environment, _) = SharedCatalogDatabase.From(server.NewDatabase());
        int healthA = FreePorts.Next(), healthB = FreePorts.Next(), balancerPort = FreePorts.Next();
        using var a = GatewayProcess.Start(_dirs.New("a"), ["--demo", "--catalog", url, "--metrics-listen", $"127.0.0.1:{healthA}"], environment);
        using var b = GatewayProcess.Start(_dirs.New("b"), ["--demo", "--catalog", url, "--metrics-listen", $"127.0.0.1:{healthB}"], environment);
        await a.WaitUntilConnectableAsync();
        await b.WaitUntilConnectableAsync();

        using var haproxy = StartHaproxy(new Dictionary<string, string>
        {
            ["LB_LISTEN"] = $"127.0.0.1:{balancerPort}",
            ["NODE_A_HOST"] = "127.0.0.1", ["NODE_A_PORT"] = a.Port.ToString(CultureInfo.InvariantCulture), ["NODE_A_HEALTH_PORT"] = healthA.ToString(CultureInfo.InvariantCulture),
            ["NODE_B_HOST"] = "127.0.0.1", ["NODE_B_PORT"] = b.Port.ToString(CultureInfo.InvariantCulture), ["NODE_B_HEALTH_PORT"] = healthB.ToString(CultureInfo.InvariantCulture),
        });
        var viaBalancer = $"Host=127.0.0.1;Port={balancerPort};Username=bob;Password=bob;Database=ml_research;SSL Mode=Disable;Pooling=false;Timeout=10;Command Timeout=60";
        const string Read = "SELECT region, count(*) FROM mkt_sls_table GROUP BY region ORDER BY region";
        var expected = await ReadAsync(viaBalancer, Read, within: TimeSpan.FromSeconds(30)); // health checks mark both nodes up (rise 2 × 1 s)
        Assert.StartsWith("Europe|", expected, StringComparison.Ordinal);
        await WaitUntilBothUpAsync(viaBalancer, healthA, healthB);

        var before = (await ConnectionsAsync(healthA), await ConnectionsAsync(healthB));
        var held = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var connection = new NpgsqlConnection(viaBalancer);
                await connection.OpenAsync();
                held.Add(connection);
                Assert.Equal(expected, await RowsAsync(connection, Read));
            }
            var after = (await ConnectionsAsync(healthA), await ConnectionsAsync(healthB));
            // leastconn with eight sessions held open: four on each node.
            Assert.True(after.Item1 - before.Item1 >= 3 && after.Item2 - before.Item2 >= 3, $"sessions per node: {after.Item1 - before.Item1} and {after.Item2 - before.Item2}");
        }
        finally
        {
            foreach (var connection in held) await connection.DisposeAsync();
        }

        a.Signal("KILL");
        Assert.True(a.WaitForExit(TimeSpan.FromSeconds(10)), "node a survived SIGKILL");
        for (var i = 0; i < 10; i++) Assert.Equal(expected, await ReadAsync(viaBalancer, Read, within: TimeSpan.Zero));
        Assert.Contains("node-a", haproxy.Log); // HAProxy saw it: a redispatched connection or the node marked down
    }

    /// <summary>Until HAProxy routes to both nodes (each is routed to only after two passing health checks): two sessions
    /// held at once land one on each node only then.</summary>
    private static async Task WaitUntilBothUpAsync(string viaBalancer, int healthA, int healthB)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var before = (await ConnectionsAsync(healthA), await ConnectionsAsync(healthB));
            await using (var first = new NpgsqlConnection(viaBalancer))
            await using (var second = new NpgsqlConnection(viaBalancer))
            {
                await first.OpenAsync();
                await second.OpenAsync();
            }
            var after = (await ConnectionsAsync(healthA), await ConnectionsAsync(healthB));
            if (after.Item1 > before.Item1 && after.Item2 > before.Item2) return;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "HAProxy never routed sessions to both nodes");
            await Task.Delay(300);
        }
    }

    private static async Task<string> ReadAsync(string connectionString, string sql, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                return await RowsAsync(connection, sql);
            }
            catch (NpgsqlException) when (watch.Elapsed < within)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task<string> RowsAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var text = new System.Text.StringBuilder();
        while (await reader.ReadAsync())
            text.AppendJoin('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))).Append('\n');
        return text.ToString();
    }

    [GeneratedRegex(@"^datamesh_connections_total (\d+)$", RegexOptions.Multiline)]
    private static partial Regex ConnectionsTotal();

    private static async Task<long> ConnectionsAsync(int metricsPort)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        return long.Parse(ConnectionsTotal().Match(metrics).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static LoggedProcess StartHaproxy(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("haproxy") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-db", "-f", Config }) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return new LoggedProcess(Process.Start(start)!);
    }

    private static (int Code, string Output, string Error) Run(string file, IEnumerable<string> args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), file + " did not finish");
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    public void Dispose() => _dirs.Dispose();

    /// <summary>A child process whose output is kept; killed when disposed.</summary>
    private sealed class LoggedProcess : IDisposable
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _log = new();

        public LoggedProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => Keep(e.Data);
            process.ErrorDataReceived += (_, e) => Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Log
        {
            get
            {
                lock (_log) return _log.ToString();
            }
        }

        private void Keep(string? line)
        {
            if (line is null) return;
            lock (_log) _log.AppendLine(line);
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            _process.Dispose();
        }
    }
}
