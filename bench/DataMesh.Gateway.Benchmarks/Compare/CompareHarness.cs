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
        string parquet;
        using (var context = new CompareContext(options))
        {
            parquet = context.Parquet;
            Log($"gateway (own process) on port {context.Gateway.Port}; postgres {(context.PostgresTable ?? "not configured")}");
            report.Tpch = TpchComparison.Run(context, options.Runs);
            report.Connect = LatencyProbes.Connect(context, options.LatencyIterations);
            report.Point = LatencyProbes.PointOverhead(context, options.LatencyIterations);
            var perLevel = TimeSpan.FromSeconds(options.LevelSeconds);
            report.Levels.AddRange(ConcurrencyLoad.Run("gateway", context.GatewayConsumer(), "bench.lineitem", options.Rows, options.Clients, perLevel));
            if (context.PostgresConsumer is { } pg)
                report.Levels.AddRange(ConcurrencyLoad.Run("postgres-rls", pg, context.PostgresTable!, options.Rows, options.Clients, perLevel));
            if (Pgbench.Available)
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
        report.Metadata = MetadataScale.Run(options, parquet, options.MetadataAssets, options.Quick ? 30 : 100);
        report.Catalog = CatalogScale.Run(options, parquet, options.CatalogAssets, options.CatalogSubscriptions, options.Quick ? 50 : 200);

        var markdown = report.Render();
        Console.WriteLine(markdown);
        if (options.Markdown is { } path) await File.WriteAllTextAsync(path, markdown);
        if (options.Chart is { } chart)
        {
            Charts.Write(chart, report.Tpch, report.Connect, report.Levels);
            Log($"chart written to {chart}");
        }
        Log($"done in {total.Elapsed.TotalMinutes:F1} min");
        return 0;
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
