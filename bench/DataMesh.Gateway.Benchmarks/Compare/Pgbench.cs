using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// PostgreSQL's own load driver (Debian postgresql-contrib's pgbench) with a custom script: a parameterised point
/// lookup by random order key, extended protocol (so the gateway sees one text and caches its rewrite), no vacuum
/// step. Per-transaction latencies come from pgbench's log files; tps from its summary.
/// </summary>
public static partial class Pgbench
{
    public sealed record Run(string System, int Clients, double Tps, Samples Latency, long Failed, string? Error);

    public const string Binary = "/usr/lib/postgresql/15/bin/pgbench";

    public static bool Available => File.Exists(Binary);

    public static Run Point(string system, string host, int port, string user, string password, string database,
        string table, long rows, int clients, int seconds, string workDir, string? pgOptions = null)
    {
        Directory.CreateDirectory(workDir);
        var script = Path.Combine(workDir, $"point-{system}.sql");
        File.WriteAllText(script, $"\\set k random(1, {rows / 4})\nSELECT {TpchQueries.VisibleColumns} FROM {table} WHERE l_orderkey = :k;\n");
        var logDir = Path.Combine(workDir, $"log-{system}-{clients}");
        if (Directory.Exists(logDir)) Directory.Delete(logDir, recursive: true);
        Directory.CreateDirectory(logDir);
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = logDir };
        foreach (var a in new[] { "-n", "-M", "extended", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
                     "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script, "--log", "--log-prefix", Path.Combine(logDir, "tx"),
                     "-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-U", user, database })
            start.ArgumentList.Add(a);
        start.Environment["PGPASSWORD"] = password;
        start.Environment["PGSSLMODE"] = "disable";
        if (pgOptions is not null) start.Environment["PGOPTIONS"] = pgOptions; // PostgreSQL: the RLS policy's session setting
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit((seconds + 120) * 1000)) { process.Kill(); return new Run(system, clients, 0, new Samples(), 0, "pgbench did not finish"); }
        var output = stdout.Result + stderr.Result;
        var latency = new Samples();
        foreach (var file in Directory.EnumerateFiles(logDir, "tx*"))
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ');
                if (parts.Length >= 3 && long.TryParse(parts[2], CultureInfo.InvariantCulture, out var us)) latency.Add(us / 1000.0);
            }
        var tps = TpsLine().Match(output) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var failed = FailedLine().Match(output) is { Success: true } f ? long.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var error = process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {output.Trim().Split('\n').LastOrDefault()}";
        CompareHarness.Log($"pgbench {system} x{clients}: {tps:F0} tps; {latency}; failed {failed}{(error is null ? "" : "; " + error)}");
        return new Run(system, clients, tps, latency, failed, error);
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"number of failed transactions: ([0-9]+)")]
    private static partial Regex FailedLine();
}
