using System.Diagnostics;
using System.Globalization;
using System.Text;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Benchmarks.Stream;
using DataMesh.Gateway.Catalog.Postgres;
using DataMesh.Gateway.Configuration;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Fleet;

/// <summary>
/// <c>catalog-stores --postgres CS --data-dir DIR [--ops N] [--sessions N] [--markdown FILE]</c>: the embedded SQLite
/// catalog against a PostgreSQL catalog, side by side in one run on the same machine. Catalog writes through the real
/// admin path (parser, permissions, executor, audit record, change log): APPROVE, REVOKE, PUBLISH ASSET and CREATE
/// GLOSSARY TERM, each timed alone (the REQUEST before an APPROVE, the CREATE ASSET before a PUBLISH are not timed);
/// and session start (TCP connect, SCRAM sign-in, first <c>SELECT 1</c> in a consumer project) on an in-process
/// gateway over each catalog. The PostgreSQL database <paramref name="args"/> names is emptied first.
/// </summary>
public static class CatalogStoresHarness
{
    private const string Usage = "usage: catalog-stores --postgres CS --data-dir DIR [--ops N] [--sessions N] [--markdown FILE]";

    public static async Task<int> RunAsync(string[] args)
    {
        string? postgres = null, dir = null, markdown = null;
        int ops = 300, sessions = 300;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--data-dir": dir = Path.GetFullPath(args[i + 1]); break;
                case "--ops": ops = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--sessions": sessions = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--markdown": markdown = args[i + 1]; break;
                default: throw new ArgumentException(Usage);
            }
        }
        if (postgres is null || dir is null) throw new ArgumentException(Usage);
        var root = Path.Combine(dir, "catalog-stores");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var accountRoot = Path.Combine(root, "accounts", "acct");
        Directory.CreateDirectory(Path.Combine(accountRoot, "producer"));
        WriteFile(Path.Combine(accountRoot, "producer", "data.parquet"));
        EmptyDatabase(postgres);

        var stores = new (string Name, string DataDir, string? Catalog)[]
        {
            ("SQLite (embedded file)", Path.Combine(root, "sqlite"), null),
            ("PostgreSQL 15 (loopback)", Path.Combine(root, "postgres"), postgres),
        };
        // Both gateways run at once and take turns, operation by operation: on a shared machine whose load changes by
        // the minute, each store's figures then come from the same minutes.
        await using var sqliteHost = GatewayHost.Start(Settings(stores[0].DataDir, null), NullLoggerFactory.Instance, "");
        await using var postgresHost = GatewayHost.Start(Settings(stores[1].DataDir, postgres), NullLoggerFactory.Instance, "");
        GatewayHost[] hosts = [sqliteHost, postgresHost];
        foreach (var host in hosts) Prepare(host.Catalog, accountRoot);
        Console.WriteLine($"== {ops} of each catalog operation on each store, taking turns");
        var writes = CatalogOperations(hosts.Select(h => h.Catalog).ToArray(), ops);
        Console.WriteLine($"== {sessions} session starts on each store, taking turns");
        var starts = await SessionStartsAsync(hosts.Select(h => h.EndPoint.Port).ToArray(), sessions);
        var results = stores.Select((s, i) => new StoreResult(s.Name, writes[i], starts[i])).ToList();
        var report = Report(results, ops, sessions);
        Console.WriteLine(report);
        if (markdown is not null) await File.WriteAllTextAsync(markdown, report);
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static GatewaySettings Settings(string dataDir, string? catalog) =>
        new() { Listen = "127.0.0.1:0", DataDir = dataDir, Catalog = catalog, CatalogPreload = false };

    private sealed record StoreResult(string Name, Dictionary<string, double> OpsPerSecond, double[] SessionStartMs);

    private static void Prepare(AdminCatalog catalog, string accountRoot)
    {
        catalog.SetUser("carol", "carol", domainAdmin: true);
        catalog.SetUser("reader", "reader", domainAdmin: false);
        foreach (var sql in new[]
                 {
                     $"ASSOCIATE ACCOUNT acct LOCATION '{accountRoot}' ADMIN carol", "ACCEPT ACCOUNT acct",
                     "CREATE PROJECT PROFILE prof BLUEPRINTS (query_limits WITH (memory = '1GB'))",
                     "CREATE PROJECT producer ACCOUNT acct PROFILE prof", "CREATE PROJECT consumer ACCOUNT acct PROFILE prof",
                     "ADD MEMBER reader TO PROJECT consumer AS VIEWER",
                     "CREATE ASSET producer.orders FROM 'data.parquet'", "PUBLISH ASSET producer.orders",
                 })
            GatewayProcess.Admin(catalog, "carol", sql);
    }

    /// <summary>Operations per second of each kind on each catalog, each timed alone; the catalogs take turns.</summary>
    private static Dictionary<string, double>[] CatalogOperations(AdminCatalog[] catalogs, int ops)
    {
        string[] kinds = ["APPROVE SUBSCRIPTION", "REVOKE SUBSCRIPTION", "PUBLISH ASSET", "CREATE GLOSSARY TERM"];
        var spent = catalogs.Select(_ => kinds.ToDictionary(k => k, _ => TimeSpan.Zero)).ToArray();
        for (var i = 0; i < ops; i++)
        {
            for (var c = 0; c < catalogs.Length; c++)
            {
                var catalog = catalogs[c];
                void Timed(string kind, string sql)
                {
                    var watch = Stopwatch.StartNew();
                    if (GatewayProcess.Admin(catalog, "carol", sql) is null) throw new InvalidOperationException("did nothing: " + sql);
                    spent[c][kind] += watch.Elapsed;
                }
                var id = (long)GatewayProcess.Admin(catalog, "carol", $"REQUEST SUBSCRIPTION TO producer.orders FOR PROJECT consumer JUSTIFICATION 'bench {i}'")!.Rows[0][0]!;
                Timed("APPROVE SUBSCRIPTION", $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'r{i % 3}') EXCLUDE COLUMNS (email)");
                Timed("REVOKE SUBSCRIPTION", $"REVOKE SUBSCRIPTION {id}");
                GatewayProcess.Admin(catalog, "carol", $"CREATE ASSET producer.a{i} FROM 'data.parquet'");
                Timed("PUBLISH ASSET", $"PUBLISH ASSET producer.a{i}");
                Timed("CREATE GLOSSARY TERM", $"CREATE GLOSSARY TERM 'term {i}' DESCRIPTION 'bench'");
            }
        }
        return spent.Select(d => d.ToDictionary(p => p.Key, p => ops / p.Value.TotalSeconds)).ToArray();
    }

    /// <summary>Milliseconds from opening the socket to the first row of <c>SELECT 1</c>, one session at a time per
    /// gateway (the gateways take turns), sorted.</summary>
    private static async Task<double[][]> SessionStartsAsync(int[] ports, int sessions)
    {
        var connectionStrings = ports.Select(port => $"Host=127.0.0.1;Port={port};Username=reader;Password=reader;Database=consumer;SSL Mode=Disable;Pooling=false;Timeout=30").ToArray();
        foreach (var connectionString in connectionStrings)
            for (var i = 0; i < 10; i++) await OneSessionAsync(connectionString); // warm-up: the project's engine, JIT
        var times = ports.Select(_ => new double[sessions]).ToArray();
        for (var i = 0; i < sessions; i++)
        {
            for (var g = 0; g < ports.Length; g++)
            {
                var watch = Stopwatch.StartNew();
                await OneSessionAsync(connectionStrings[g]);
                times[g][i] = watch.Elapsed.TotalMilliseconds;
            }
        }
        foreach (var t in times) Array.Sort(t);
        return times;
    }

    private static async Task OneSessionAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1", connection);
        await cmd.ExecuteScalarAsync();
    }

    private static string Report(List<StoreResult> results, int ops, int sessions)
    {
        var (sqlite, pg) = (results[0], results[1]);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Catalog writes through the admin path, one writer, {ops} of each per store (each timed alone, the stores taking turns; operations per second):").AppendLine();
        text.AppendLine($"| operation | {sqlite.Name} | {pg.Name} | PostgreSQL / SQLite |").AppendLine("|---|---:|---:|---:|");
        foreach (var kind in sqlite.OpsPerSecond.Keys)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {kind} | {sqlite.OpsPerSecond[kind]:F0} | {pg.OpsPerSecond[kind]:F0} | {pg.OpsPerSecond[kind] / sqlite.OpsPerSecond[kind]:F2} |");
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Session start (connect, SCRAM sign-in, first `SELECT 1` in a consumer project; {sessions} sessions per store one after another, the stores taking turns; ms):").AppendLine();
        text.AppendLine($"| percentile | {sqlite.Name} | {pg.Name} | PostgreSQL / SQLite |").AppendLine("|---|---:|---:|---:|");
        foreach (var p in new[] { 50, 90, 99 })
        {
            double At(double[] sorted) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];
            text.AppendLine(CultureInfo.InvariantCulture, $"| p{p} | {At(sqlite.SessionStartMs):F2} | {At(pg.SessionStartMs):F2} | {At(pg.SessionStartMs) / At(sqlite.SessionStartMs):F2} |");
        }
        return text.ToString();
    }

    /// <summary>Drops every table, function and collation a catalog made in the benchmark database (a fresh catalog each run).</summary>
    private static void EmptyDatabase(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public;", connection);
        cmd.ExecuteNonQuery();
    }

    private static void WriteFile(string path)
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var cmd = duck.CreateCommand();
        cmd.CommandText = $"COPY (SELECT i::BIGINT AS id, 'r' || (i % 3) AS region, 'u' || i || '@x' AS email FROM range(1000) t(i)) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
        cmd.ExecuteNonQuery();
    }
}
