using System.Diagnostics;
using DataMesh.Gateway.Catalog.Postgres;
using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Catalog;
using DataMesh.Gateway.Tests.Infrastructure;
using DataMesh.Gateway.Tests.Reliability;
using Npgsql;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// Two real gateway processes (<c>datamesh serve --catalog postgresql://…</c>) on one catalog database of a
/// <see cref="PostgresCatalogServer"/>, each with its metrics and health endpoint, and a small mesh made through node A:
/// bob, a viewer of project <c>consumer</c>, reads <c>sales</c> (ten rows of project <c>producer</c>) under subscription 1.
/// </summary>
internal sealed class FleetNodes : IAsyncDisposable
{
    private readonly ScratchDirectories _dirs = new("fleet");

    private FleetNodes(string connectionString) => CatalogConnectionString = connectionString;

    public string CatalogConnectionString { get; }
    public GatewayProcess A { get; private set; } = null!;
    public GatewayProcess B { get; private set; } = null!;
    public Uri MetricsA { get; private set; } = null!;
    public Uri MetricsB { get; private set; } = null!;

    /// <param name="environment">Settings for both nodes (DATAMESH_…), besides the catalog's password.</param>
    /// <param name="onlyA">Settings for node A alone.</param>
    public static async Task<FleetNodes> StartAsync(string catalogConnectionString, IReadOnlyDictionary<string, string>? environment = null,
        IReadOnlyDictionary<string, string>? onlyA = null)
    {
        var fleet = new FleetNodes(catalogConnectionString);
        var catalog = SharedCatalogDatabase.From(catalogConnectionString);
        var url = catalog.Url;
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        foreach (var (name, value) in catalog.Environment) env[name] = value;
        DatameshCli.Run(["user", "add", "carol", "--password", "carol", "--domain-admin", "--catalog", url, "--data-dir", fleet._dirs.New("cli")], env);
        var root = fleet._dirs.New("accounts");
        Directory.CreateDirectory(Path.Combine(root, "producer"));
        RandomAdminCommands.WriteProjectFile(Path.Combine(root, "producer", "data.parquet"), grown: false);
        Directory.CreateDirectory(Path.Combine(root, "consumer"));

        var metricsA = FreePorts.Next();
        var envA = new Dictionary<string, string>(env);
        foreach (var (name, value) in onlyA ?? new Dictionary<string, string>()) envA[name] = value;
        fleet.A = GatewayProcess.Start(fleet._dirs.New("a"), ["--catalog", url, "--metrics-listen", $"127.0.0.1:{metricsA}"], envA);
        var metricsB = FreePorts.Next();
        fleet.B = GatewayProcess.Start(fleet._dirs.New("b"), ["--catalog", url, "--metrics-listen", $"127.0.0.1:{metricsB}"], env);
        fleet.MetricsA = new Uri($"http://127.0.0.1:{metricsA}/");
        fleet.MetricsB = new Uri($"http://127.0.0.1:{metricsB}/");
        await fleet.A.WaitUntilConnectableAsync();
        await fleet.B.WaitUntilConnectableAsync();
        foreach (var sql in new[]
                 {
                     $"ASSOCIATE ACCOUNT acct LOCATION {AdminSql.Quote(root)} ADMIN carol", "ACCEPT ACCOUNT acct",
                     "CREATE PROJECT PROFILE prof BLUEPRINTS (query_limits WITH (memory = '1GB'))",
                     "CREATE PROJECT producer ACCOUNT acct PROFILE prof", "CREATE PROJECT consumer ACCOUNT acct PROFILE prof",
                     "CREATE USER bob PASSWORD 'bob'", "ADD MEMBER bob TO PROJECT consumer AS VIEWER",
                     "CREATE ASSET producer.sales FROM 'data.parquet'", "PUBLISH ASSET producer.sales",
                     "REQUEST SUBSCRIPTION TO producer.sales FOR PROJECT consumer JUSTIFICATION 'fleet test'", "APPROVE SUBSCRIPTION 1",
                 })
            await ExecuteAsync(fleet.A, sql);
        return fleet;
    }

    /// <summary>A session of <paramref name="user"/> (password: the name) on <paramref name="node"/>, open.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(GatewayProcess node, string user, string database)
    {
        var connection = new NpgsqlConnection(node.ConnectionString(user, database));
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> as carol on <paramref name="node"/> (a fresh session each time).</summary>
    public static async Task ExecuteAsync(GatewayProcess node, string sql)
    {
        await using var connection = await OpenAsync(node, "carol", "postgres");
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>
    /// Runs <paramref name="change"/> (on some node) while <paramref name="session"/> keeps running
    /// <paramref name="probe"/>: how long after the change returned (committed) the probe first failed, and its
    /// SQLSTATE. The probe must succeed before the change. At most <paramref name="limit"/>; then the result says so.
    /// </summary>
    public static async Task<(TimeSpan Delay, string? SqlState)> TimeUntilRefusedAsync(NpgsqlConnection session, string probe, Func<Task> change, TimeSpan limit)
    {
        await ScalarAsync(session, probe);
        await change();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            try
            {
                await ScalarAsync(session, probe);
            }
            catch (PostgresException e)
            {
                return (watch.Elapsed, e.SqlState);
            }
            await Task.Delay(10);
        }
        return (watch.Elapsed, null);
    }

    public static async Task<(int Status, string Body)> GetAsync(Uri metrics, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(metrics, path));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The value of a metric series without labels.</summary>
    public static async Task<long> MetricAsync(Uri metrics, string series)
    {
        var (_, body) = await GetAsync(metrics, "metrics");
        var line = body.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no series {series} in:\n{body}");
        return long.Parse(line![(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls /health until "STATUS BODY" contains <paramref name="expected"/>; the last answer either way.</summary>
    public static async Task<string> HealthWithinAsync(Uri metrics, string expected, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await GetAsync(metrics, "health");
            var answer = $"{status} {body}";
            if (answer.Contains(expected, StringComparison.Ordinal) || watch.Elapsed > limit) return answer;
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync()
    {
        A?.Dispose();
        B?.Dispose();
        _dirs.Dispose();
        return ValueTask.CompletedTask;
    }
}
