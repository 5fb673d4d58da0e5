using System.Diagnostics;
using System.Globalization;
using DataMesh.Gateway.Benchmarks.Stream;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Server.Engines;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Sql.Ast;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Governed;

/// <summary>
/// `governed`: consumer queries through the gateway (Npgsql, as <c>consumer</c> in <c>bench_consumer</c>, row filter and
/// column filter applied) side by side with the SAME rewritten SQL in process on an equivalently configured DuckDB.NET
/// connection, the rewritten query with its OFFSET 0 fence removed, and the hand-written equivalent over the file.
/// The paths are interleaved run by run so that load from other processes hits them alike.
/// </summary>
public static class GovernedHarness
{
    public sealed record Options(long Rows, string DataDir, int Runs, int Threads, string? Markdown);

    /// <summary>One workload's plan and its four measured paths.</summary>
    public sealed record Row(GovernedWorkload Workload, bool Barrier, string Why, string RewrittenSql,
        Timing Gateway, Timing InProcess, Timing? Unfenced, Timing HandWritten);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        var sw = Stopwatch.StartNew();
        var parquet = LineitemData.EnsureParquet(options.DataDir, options.Rows);
        Log($"parquet ready ({new FileInfo(parquet).Length / 1048576.0:F1} MiB) in {sw.Elapsed.TotalSeconds:F1}s");

        var serverDir = GatewayProcess.ServerDir(options.DataDir, parquet, "server-governed");
        var (engine, server, catalog) = GatewayProcess.Start(parquet, serverDir, options.Threads);
        using var engineScope = engine;
        using var catalogScope = catalog;
        var cs = GatewayProcess.ConsumerConnectionString(server.LocalEndPoint.Port);

        // The harness's own planner over the same catalog: the same code and snapshot as the server's, so the same SQL.
        using var parser = new SqlParser();
        var governance = new GovernanceService(catalog.Catalog, parser);
        using var engines = new SessionEngines(catalog.Catalog, governance, new EngineDefaults { Threads = options.Threads, MemoryLimit = "8GB" });
        var access = governance.Open(GatewayProcess.ConsumerUser, GatewayProcess.ConsumerProject);
        var spec = engines.Spec(access);
        var planOptions = new DataMesh.Gateway.Policy.Rewrite.RewriteOptions { ShadowCatalog = true }; // the bench project has no workspace
        var grants = governance.Grants(access);
        using var local = new InProcessInstance(spec);
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();

        var rows = new List<Row>();
        foreach (var w in GovernedWorkloads.For(parquet, GatewayProcess.ConsumerRowFilter, options.Rows))
        {
            var plan = governance.Plan(access, w.Sql, planOptions);
            var why = Findings(w.Sql, parser, grants);
            if (plan.Barrier != w.ExpectBarrier) Log($"UNEXPECTED: {w.Name}: barrier {plan.Barrier}, expected {w.ExpectBarrier} ({why})");
            var row = new Row(w, plan.Barrier, why, plan.Sql, new Timing(), new Timing(),
                plan.Barrier ? new Timing() : null, new Timing());
            var unfenced = plan.Sql.Replace(" OFFSET 0)", ")", StringComparison.Ordinal);
            for (var i = 0; i <= options.Runs; i++)
            {
                row.Gateway.Run(() => Query(connection, w.Sql));
                row.InProcess.Run(() => local.Execute(plan.Sql));
                row.Unfenced?.Run(() => local.Execute(unfenced));
                row.HandWritten.Run(() => local.Execute(w.HandWritten));
            }
            Log($"{w.Name}: barrier={plan.Barrier}; gateway {Describe(row.Gateway)}; in-process {Describe(row.InProcess)}"
                + (row.Unfenced is { } u ? $"; unfenced {Describe(u)}" : "") + $"; hand-written {Describe(row.HandWritten)}");
            if (!row.Gateway.SameResult(row.InProcess)) Log($"MISMATCH: {w.Name}: gateway and in-process results differ");
            rows.Add(row);
        }

        var oracle = rows.Single(r => r.Workload.Name.Contains("oracle", StringComparison.Ordinal));
        var probes = GovernanceProbes.Run(connection, local, parquet, oracle.RewrittenSql.Replace(" OFFSET 0)", ")", StringComparison.Ordinal));
        foreach (var p in probes) Log("probe: " + p);
        await connection.CloseAsync();
        await server.StopAsync();
        var markdown = GovernedReport.Render(options, parquet, rows, probes, spec);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (options.Markdown is { } path) await File.WriteAllTextAsync(path, markdown);
        Log($"done in {sw.Elapsed.TotalSeconds:F0}s");
        return 0;
    }

    private static (long Rows, decimal Checksum) Query(NpgsqlConnection connection, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection);
        using var reader = cmd.ExecuteReader();
        return ResultChecksum.Of(reader);
    }

    /// <summary>Why the classifier fences the query (its first finding), or "leak-proof".</summary>
    private static string Findings(string sql, SqlParser parser, GrantSet grants)
    {
        var parsed = SqlAst.Parse(parser.Serialize(sql), sql);
        var types = GrantColumnTypes.Of(grants);
        var analysis = new LeakProofness(parts => parts.Count > 0 && types.TryGetValue(parts[^1], out var t) ? t : null).Analyze(parsed);
        return analysis.Findings is [var first, ..] ? $"{first.ExpressionClass}: {first.Reason}" : "leak-proof";
    }

    private static string Describe(Timing t) => t.Ok
        ? string.Create(CultureInfo.InvariantCulture, $"first {t.FirstMs:F1} ms, best {t.BestMs:F1} ms, median {t.MedianMs:F1} ms, {t.Rows} rows")
        : "error " + t.Error;

    private static Options Parse(string[] args)
    {
        long rows = 6_000_000;
        var dataDir = Path.Combine("bench", "data");
        string? markdown = null;
        int runs = 7, threads = Environment.ProcessorCount;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--rows": rows = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--data-dir": dataDir = Next(); break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--markdown": markdown = Next(); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return new Options(rows, dataDir, Math.Max(1, runs), threads, markdown);
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
