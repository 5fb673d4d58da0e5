using System.Globalization;
using System.Text;
using DataMesh.Gateway.Benchmarks.Stream;
using DataMesh.Gateway.Engine.Instances;

namespace DataMesh.Gateway.Benchmarks.Governed;

/// <summary>The governed harness's markdown: per-workload latencies and ratios, the barrier pairs, the plans.</summary>
public static class GovernedReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(GovernedHarness.Options options, string parquet, IReadOnlyList<GovernedHarness.Row> rows,
        IReadOnlyList<string> probes, EngineSpec spec)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv, $"Rows: {options.Rows:N0}; Parquet: `{Path.GetFileName(parquet)}` ({new FileInfo(parquet).Length / 1048576.0:F1} MiB); consumer `{GatewayProcess.ConsumerUser}` in project `{GatewayProcess.ConsumerProject}`, subscription to `bench.lineitem` WITH ROW FILTER (`{GatewayProcess.ConsumerRowFilter}`) EXCLUDE COLUMNS (`{GatewayProcess.ConsumerExcludedColumn}`); instance threads {spec.Threads}, memory limit {spec.MemoryLimit}.");
        sb.AppendLine(Inv, $"Each path ran once cold, then {options.Runs} times, interleaved run by run (gateway, in-process, fence removed, hand-written); times are wall-clock ms, best / median of the {options.Runs}. Gateway: one open Npgsql connection (extended protocol, unprepared), server in this process. In-process: one DuckDB.NET connection configured from the project's EngineSpec, running the planner's rewritten SQL.");
        sb.AppendLine();
        sb.AppendLine("| Workload | Fenced | Rows | Gateway → Npgsql, cold | Gateway → Npgsql | In-process, same rewritten SQL | **Gateway / in-process** (best) | In-process, fence removed | In-process, hand-written over the file | Rewritten / hand-written (best) | Results agree |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            sb.Append(Inv, $"| {r.Workload.Name} | {(r.Barrier ? "yes" : "no")} | {(r.Gateway.Ok ? r.Gateway.Rows.ToString(Inv) : "–")} | ");
            sb.Append(Inv, $"{(r.Gateway.FirstMs is { } f ? f.ToString("F1", Inv) : "–")} | {Cell(r.Gateway)} | {Cell(r.InProcess)} | {Ratio(r.Gateway, r.InProcess)} | ");
            sb.Append(Inv, $"{(r.Unfenced is { } u ? Cell(u) : "–")} | {Cell(r.HandWritten)} | {Ratio(r.InProcess, r.HandWritten)} | {Agree(r)} |");
            sb.AppendLine();
        }
        sb.AppendLine();

        sb.AppendLine("#### Leak barrier: a non-leak-proof predicate (fenced, `OFFSET 0`) against its leak-proof twin (same rows, unfenced)");
        sb.AppendLine();
        sb.AppendLine("| Query (fenced) | Twin | Gateway fenced / twin (ms, best) | Gateway ratio | In-process fenced / twin | In-process ratio | In-process: same query, fence removed | Fence cost on the same query |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows.Where(r => r.Workload.Twin is not null))
        {
            var twin = rows.Single(t => t.Workload.Name == r.Workload.Twin);
            sb.AppendLine(Inv, $"| {r.Workload.Name} | {twin.Workload.Name} | {Best(r.Gateway)} / {Best(twin.Gateway)} | {Ratio(r.Gateway, twin.Gateway)} | {Best(r.InProcess)} / {Best(twin.InProcess)} | {Ratio(r.InProcess, twin.InProcess)} | {(r.Unfenced is { } u ? Best(u) : "–")} | {(r.Unfenced is { } u2 ? Ratio(r.InProcess, u2) : "–")} |");
        }
        sb.AppendLine();

        sb.AppendLine("Classifier decisions (`BarrierPolicy` / `LeakProofness`, first finding) and errors:");
        sb.AppendLine();
        foreach (var r in rows)
        {
            sb.Append(Inv, $"* {r.Workload.Name}: {(r.Barrier ? "fenced" : "not fenced")} — {r.Why}");
            foreach (var (path, t) in Paths(r).Where(p => p.Timing.Error is not null)) sb.Append(Inv, $"; **{path} failed**: `{t.Error}`");
            sb.AppendLine();
        }
        sb.AppendLine();
        sb.AppendLine("Governance checks (untimed):");
        sb.AppendLine();
        foreach (var p in probes) sb.AppendLine("* " + p);
        sb.AppendLine();
        sb.AppendLine("Rewritten SQL (source path shortened to `<src>`):");
        sb.AppendLine();
        foreach (var r in rows.Where(r => r.Workload.Name.StartsWith("Point", StringComparison.Ordinal)))
            sb.AppendLine(Inv, $"* {r.Workload.Name}: `{Shorten(r.RewrittenSql, parquet)}`");
        return sb.ToString();
    }

    private static IEnumerable<(string Path, Timing Timing)> Paths(GovernedHarness.Row r)
    {
        yield return ("gateway", r.Gateway);
        yield return ("in-process", r.InProcess);
        if (r.Unfenced is { } u) yield return ("in-process with the fence removed", u);
        yield return ("hand-written", r.HandWritten);
    }

    private static string Agree(GovernedHarness.Row r)
    {
        if (!r.Gateway.SameResult(r.InProcess)) return "**no** (gateway vs in-process)";
        if (r.HandWritten.Ok && !r.Gateway.SameResult(r.HandWritten)) return "**no** (vs hand-written)";
        return r.HandWritten.Ok ? "yes" : "yes (gateway = in-process)";
    }

    private static string Cell(Timing t) => t.Ok ? $"{t.BestMs.ToString("F1", Inv)} / {t.MedianMs.ToString("F1", Inv)}" : "error";

    private static string Best(Timing t) => t.Ok ? t.BestMs.ToString("F1", Inv) : "error";

    private static string Ratio(Timing a, Timing b) => a.Ok && b.Ok ? (a.BestMs / b.BestMs).ToString("F2", Inv) + "×" : "–";

    private static string Shorten(string sql, string parquet) =>
        sql.Replace(parquet.Replace("'", "''", StringComparison.Ordinal), "<src>", StringComparison.Ordinal);
}
