using System.Globalization;
using System.Text;

namespace DataMesh.Gateway.Soak;

/// <summary>The soak's figures as Markdown: throughput, latency percentiles, errors by class, memory and handles.</summary>
public static class SoakReport
{
    public static string Markdown(SoakOptions options, TimeSpan elapsed, SoakStats stats, GrantLedger ledger,
        ProcessSample idleBefore, ProcessSample? warm, ProcessSample? loaded, ProcessSample? idleAfter,
        List<(TimeSpan At, ProcessSample Sample)> samples, string integrity, List<string> failures, int consumers, int admins, int metadata)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        var overall = stats.Overall();
        md.AppendLine(c, $"### Soak: {options.Clients} clients, {elapsed.TotalSeconds:0} s ({consumers} consumers, {admins} admins, {metadata} metadata readers, {options.Projects} consumer projects)");
        md.AppendLine();
        md.AppendLine(c, $"* Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {Environment.ProcessorCount} cores; load average at the end: {LoadAverage()}");
        md.AppendLine(c, $"* Throughput: {overall.Count / elapsed.TotalSeconds:0.0} successful operations/s ({overall.Count} in all); latency p50 {overall.P50:0.0} ms, p99 {overall.P99:0.0} ms");
        md.AppendLine(c, $"* Grant checker: {ledger.Violations} row(s) outside the grant in force");
        md.AppendLine(c, $"* Catalog after SIGTERM: integrity_check {integrity}");
        md.AppendLine(c, $"* Result: {(failures.Count == 0 ? "passed" : "FAILED: " + string.Join("; ", failures))}");
        md.AppendLine();
        md.AppendLine("| operation | ok | ops/s | p50 ms | p99 ms |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (kind, count, p50, p99) in stats.Latencies())
            md.AppendLine(c, $"| {kind} | {count} | {count / elapsed.TotalSeconds:0.0} | {p50:0.0} | {p99:0.0} |");
        md.AppendLine();
        md.AppendLine("| errors: operation | class | count | expected |");
        md.AppendLine("|---|---|---:|---|");
        foreach (var e in stats.Errors()) md.AppendLine(c, $"| {e.Kind} | {e.Class} | {e.Count} | {(e.Expected ? "yes" : "NO")} |");
        md.AppendLine();
        md.AppendLine("| gateway process | RSS MiB | open files | threads |");
        md.AppendLine("|---|---:|---:|---:|");
        Row("idle, before the clients", idleBefore);
        Row($"after warm-up ({options.WarmupFraction:P0} of the run)", warm);
        Row("end of the run (clients connected)", loaded);
        Row("idle, after the clients left", idleAfter);
        if (samples.Count > 0)
            md.AppendLine(c, $"| range over the run ({samples.Count} samples) | {samples.Min(s => s.Sample.RssBytes) / 1048576.0:0.0}–{samples.Max(s => s.Sample.RssBytes) / 1048576.0:0.0} | {samples.Min(s => s.Sample.OpenFiles)}–{samples.Max(s => s.Sample.OpenFiles)} | {samples.Min(s => s.Sample.Threads)}–{samples.Max(s => s.Sample.Threads)} |");
        return md.ToString();

        void Row(string label, ProcessSample? s) =>
            md.AppendLine(s is null ? $"| {label} | – | – | – |" : string.Create(c, $"| {label} | {s.RssMiB} | {s.OpenFiles} | {s.Threads} |"));
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
