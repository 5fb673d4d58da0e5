using System.Diagnostics;
using DataMesh.Gateway.Benchmarks.Compare;
using DataMesh.Gateway.Benchmarks.Stream;

namespace DataMesh.Gateway.Benchmarks.Serving;

/// <summary>
/// `serving`: issue 18's interactive-serving workloads in one run, the gateway (its own process) against PostgreSQL 15
/// with RLS and a B-tree on the key — one client's point lookups, N clients of point lookups only, pgbench's
/// select-only shape at 64 clients, the mixed 95/5 load over client counts, a repeated Q1 and Q6 — written as
/// markdown with the issue's targets, met or missed.
/// </summary>
public static class ServingHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = ServingOptions.Parse(args);
        var total = Stopwatch.StartNew();
        var report = new ServingReport(options);
        using (var context = new CompareContext(options.Context))
        {
            Log($"gateway (own process) on port {context.Gateway.Port}; postgres {(context.PostgresTable ?? "not configured")}");
            if (options.Includes("repeat")) report.Repeated = RepeatedQueries.Run(context, options.Repeats);
            if (options.Includes("handwritten")) report.HandWritten.AddRange(HandWrittenComparison.Run(context, options.Repeats));
            if (options.Includes("point")) report.Point = PointLookups.Run(context, options.PointIterations);
            var perLevel = TimeSpan.FromSeconds(options.LevelSeconds);
            if (options.Includes("clients"))
            {
                report.PointOnly.AddRange(ConcurrencyLoad.Run("gateway", context.GatewayConsumer(), "bench.lineitem", options.Rows, [options.PointClients], perLevel, scanPercent: 0));
                if (context.PostgresConsumer is { } pg)
                    report.PointOnly.AddRange(ConcurrencyLoad.Run("postgres-rls", pg, context.PostgresTable!, options.Rows, [options.PointClients], perLevel, scanPercent: 0));
            }
            if (options.Includes("mixed"))
            {
                report.Mixed.AddRange(ConcurrencyLoad.Run("gateway", context.GatewayConsumer(), "bench.lineitem", options.Rows, options.MixedClients, perLevel));
                if (context.PostgresConsumer is { } pg)
                    report.Mixed.AddRange(ConcurrencyLoad.Run("postgres-rls", pg, context.PostgresTable!, options.Rows, options.MixedClients, perLevel));
            }
            if (options.Includes("copy")) report.Copy = ServingCopyProbe.Run(context, options.DataDir, options.Threads, options.PointIterations);
            if (options.Includes("pgbench") && Pgbench.Available)
            {
                var work = Path.Combine(Path.GetFullPath(options.DataDir), "pgbench");
                report.Pgbench.Add(Pgbench.Point("gateway", "127.0.0.1", context.Gateway.Port, GatewayProcess.ConsumerUser, GatewayProcess.ConsumerPassword,
                    GatewayProcess.ConsumerProject, "bench.lineitem", options.Rows, options.PgbenchClients, options.LevelSeconds, work));
                if (context.PostgresConsumer is not null)
                {
                    var b = new Npgsql.NpgsqlConnectionStringBuilder(context.PostgresConsumer);
                    report.Pgbench.Add(Pgbench.Point("postgres-rls", b.Host!, b.Port, b.Username!, b.Password!, b.Database!,
                        context.PostgresTable!, options.Rows, options.PgbenchClients, options.LevelSeconds, work, b.Options));
                }
            }
        }
        var markdown = report.Render();
        Console.WriteLine(markdown);
        if (options.Markdown is { } path) await File.WriteAllTextAsync(path, markdown);
        Log($"done in {total.Elapsed.TotalMinutes:F1} min");
        return 0;
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
