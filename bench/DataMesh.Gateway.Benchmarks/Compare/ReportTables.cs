using System.Globalization;
using System.Text;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>The markdown tables the compare and serving reports both write: concurrent load by client count, and targets.</summary>
public static class ReportTables
{
    private static string F(double v, string format) => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>One row per system and client count; throughput also as a share of that system's best client count.</summary>
    public static void Levels(StringBuilder s, IEnumerable<ConcurrencyLoad.Level> levels)
    {
        s.AppendLine("| System | Clients | Queries/s | vs best count | Point p50 | Point p99 | Scan p50 | Scan p99 | Errors |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var group in levels.GroupBy(l => l.System))
        {
            var best = group.Max(l => l.Qps);
            foreach (var l in group)
                s.AppendLine(CultureInfo.InvariantCulture, $"| {l.System} | {l.Clients} | {F(l.Qps, "F0")} | {F(100 * l.Qps / best, "F0")}% | {F(l.Point.P50, "F2")} | {F(l.Point.P99, "F2")} | {F(l.Scan.P50, "F1")} | {F(l.Scan.P99, "F1")} | {(l.Errors.Count == 0 ? "0" : string.Join(", ", l.Errors.Select(e => $"{e.Key}: {e.Value}")))} |");
        }
        s.AppendLine();
    }

    /// <summary>The run's targets with their verdict: met, missed, or not measured.</summary>
    public static void Targets(StringBuilder s, IEnumerable<TargetResult> targets)
    {
        s.AppendLine("| Workload | Target | Measured | Verdict |");
        s.AppendLine("|---|---|---|---|");
        foreach (var t in targets)
            s.AppendLine(CultureInfo.InvariantCulture, $"| {t.Workload} | {t.Target} | {t.Measured} | {(t.Met is { } met ? (met ? "met" : "**missed**") : "not measured")} |");
    }
}
