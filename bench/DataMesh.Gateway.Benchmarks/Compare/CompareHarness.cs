using System.Diagnostics;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// `compare`: the side-by-side rows of the performance issue that the stream and governed harnesses do not cover —
/// Q1/Q6 against in-process DuckDB and PostgreSQL with RLS, connection latency, cached point-query overhead, mixed
/// concurrent load (own client and pgbench), metadata with many subscribed assets, and a large catalog — in one run,
/// written as markdown plus a PNG chart.
/// </summary>
public static class CompareHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = CompareOptions.Parse(args);
        var total = Stopwatch.StartNew();
        var report = new CompareReport(options);
        if (options.Includes("tpch") || options.Includes("connect") || options.Includes("point") || options.Includes("load") || options.Includes("pgbench"))
        {
            using var context = new CompareContext(options);
            Log($"gateway (own process) on port {context.Gateway.Port}; postgres {(context.PostgresTable ?? "not configured")}");
            if (options.Includes("tpch")) report.Tpch = TpchComparison.Run(context, options.Runs);
            if (options.Includes("connect")) report.Connect = LatencyProbes.Connect(context, options.LatencyIterations);
            if (options.Includes("point")) report.Point = LatencyProbes.PointOverhead(context, options.LatencyIterations);
            var perLevel = TimeSpan.FromSeconds(options.LevelSeconds);
            if (options.Includes("load"))
            {
                report.Levels.AddRange(ConcurrencyLoad.Run("gateway", context.GatewayConsumer(), "bench.lineitem", options.Rows, options.Clients, perLevel));
                if (context.PostgresConsumer is { } pg)
                    report.Levels.AddRange(ConcurrencyLoad.Run("postgres-rls", pg, context.PostgresTable!, options.Rows, options.Clients, perLevel));
            }
            if (options.Includes("pgbench") && Pgbench.Available)
            {
                var work = Path.Combine(Path.GetFullPath(options.DataDir), "pgbench");
                var clients = options.Clients.Max();
                report.Pgbench.Add(Pgbench.Point("gateway", "127.0.0.1", context.Gateway.Port, Stream.GatewayProcess.ConsumerUser,
                    Stream.GatewayProcess.ConsumerPassword, Stream.GatewayProcess.ConsumerProject, "bench.lineitem", options.Rows, clients, options.LevelSeconds, work));
                if (context.PostgresConsumer is not null)
                {
                    var b = new Npgsql.NpgsqlConnectionStringBuilder(context.PostgresConsumer);
                    report.Pgbench.Add(Pgbench.Point("postgres-rls", b.Host!, b.Port, b.Username!, b.Password!, b.Database!,
                        context.PostgresTable!, options.Rows, clients, options.LevelSeconds, work, b.Options));
                }
            }
        }
        var parquet = LineitemData.EnsureParquet(options.DataDir, options.Rows);
        if (options.Includes("metadata")) report.Metadata = MetadataScale.Run(options, parquet, options.MetadataAssets, options.Quick ? 30 : 100);
        if (options.Includes("catalog")) report.Catalog = CatalogScale.Run(options, parquet, options.CatalogAssets, options.CatalogSubscriptions, options.Quick ? 50 : 200);

        var markdown = report.Render();
        Console.WriteLine(markdown);
        if (options.Markdown is { } path) await File.WriteAllTextAsync(path, markdown);
        if (options.Chart is { } chart)
        {
            if (options.Only.Count == 0) Charts.Write(chart, report.Tpch, report.Connect, report.Levels);
            Log($"chart written to {chart}");
        }
        Log($"done in {total.Elapsed.TotalMinutes:F1} min");
        return 0;
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
