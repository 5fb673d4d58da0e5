using System.Globalization;
using System.Text;
using DataMesh.Gateway.Benchmarks.Compare;

namespace DataMesh.Gateway.Benchmarks.Serving;

/// <summary>The `serving` run's figures as markdown: one table per workload and issue 18's targets, met or missed.</summary>
public sealed class ServingReport(ServingOptions options)
{
    public RepeatedQueries.Result? Repeated { get; set; }
    public (Measurement Gateway, Measurement? Postgres) Point { get; set; }
    public List<ConcurrencyLoad.Level> PointOnly { get; } = [];
    public List<ConcurrencyLoad.Level> Mixed { get; } = [];
    public List<Pgbench.Run> Pgbench { get; } = [];
    public ServingCopyProbe.Result? Copy { get; set; }
    public List<HandWrittenComparison.Result> HandWritten { get; } = [];

    private static string F(double v, string format = "F2") => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);
    private static string Row(Measurement? m) => m is null ? "| – | – | – | – | – |"
        : m.Ok ? $"| {m.System} | {m.Ms.Count} | {F(m.Ms.P50)} | {F(m.Ms.P95)} | {F(m.Ms.P99)} |" : $"| {m.System} | 0 | error: {m.Error} | | |";

    public string Render()
    {
        var s = new StringBuilder();
        var targets = new List<TargetResult>();
        s.AppendLine(CultureInfo.InvariantCulture, $"Rows: {options.Rows:N0}; consumer `consumer` in `bench_consumer` (row filter `l_shipmode IN ('MAIL', 'SHIP')`, `l_comment` excluded); ");
        s.AppendLine(CultureInfo.InvariantCulture, $"gateway in its own process, DuckDB threads {options.Threads}; PostgreSQL 15 consumer role under the equivalent RLS policy, B-tree indexes on `l_orderkey` and `l_shipdate`. Times in ms.");
        s.AppendLine();

        var (pg, pp) = Point;
        if (pg is not null)
        {
            s.AppendLine("### Governed point lookup by key, one client");
            s.AppendLine();
            s.AppendLine("`SELECT <15 visible columns> FROM lineitem WHERE l_orderkey = $1` with a random key, one connection per system, alternating query by query.");
            s.AppendLine();
            s.AppendLine("| System | n | p50 | p95 | p99 |");
            s.AppendLine("|---|---:|---:|---:|---:|");
            s.AppendLine(Row(pg));
            s.AppendLine(Row(pp));
            s.AppendLine();
            var ratio = pp is { Ok: true } ? pg.Ms.P50 / pp.Ms.P50 : double.NaN;
            targets.Add(new("governed point lookup, p50", "≤ 3× PostgreSQL's", $"{F(pg.Ms.P50)} ms vs {F(pp?.Ms.P50 ?? double.NaN)} ms = {F(ratio, "F1")}×", double.IsNaN(ratio) ? null : ratio <= 3));
        }

        if (PointOnly.Count > 0)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"### Point lookups only, {options.PointClients} clients, {options.LevelSeconds} s");
            s.AppendLine();
            ReportTables.Levels(s, PointOnly);
            var g = PointOnly.FirstOrDefault(l => l.System == "gateway");
            var p = PointOnly.FirstOrDefault(l => l.System == "postgres-rls");
            var ratio = g is not null && p is not null ? g.Qps / p.Qps : double.NaN;
            targets.Add(new($"point lookups, {options.PointClients} clients, queries/s", "≥ 0.5× PostgreSQL's", $"{F(g?.Qps ?? double.NaN, "F0")} vs {F(p?.Qps ?? double.NaN, "F0")} = {F(ratio)}×", double.IsNaN(ratio) ? null : ratio >= 0.5));
        }

        if (Pgbench.Count > 0)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"### pgbench -S style ({options.PgbenchClients} clients, extended protocol, {options.LevelSeconds} s)");
            s.AppendLine();
            s.AppendLine("`pgbench -n -M extended -c N -j 2 -T S -f point.sql --log` with `\\set k random(1, rows/4)` and the 15-column lookup.");
            s.AppendLine();
            s.AppendLine("| System | Clients | tps | p50 | p95 | p99 | Failed | Error |");
            s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var r in Pgbench)
                s.AppendLine(CultureInfo.InvariantCulture, $"| {r.System} | {r.Clients} | {F(r.Tps, "F0")} | {F(r.Latency.P50)} | {F(r.Latency.P95)} | {F(r.Latency.P99)} | {r.Failed} | {r.Error ?? ""} |");
            s.AppendLine();
            var g = Pgbench.FirstOrDefault(r => r.System == "gateway");
            var p = Pgbench.FirstOrDefault(r => r.System == "postgres-rls");
            var ratio = g is not null && p is { Tps: > 0 } ? g.Tps / p.Tps : double.NaN;
            targets.Add(new($"pgbench -S, {options.PgbenchClients} clients, tps", "≥ 0.5× PostgreSQL's", $"{F(g?.Tps ?? double.NaN, "F0")} vs {F(p?.Tps ?? double.NaN, "F0")} = {F(ratio)}×", double.IsNaN(ratio) ? null : ratio >= 0.5));
        }

        if (Mixed.Count > 0)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"### Mixed load: {100 - ConcurrencyLoad.ScanPercent}% point lookups, {ConcurrencyLoad.ScanPercent}% Q6-shaped scans, {options.LevelSeconds} s per client count");
            s.AppendLine();
            ReportTables.Levels(s, Mixed);
            if (Mixed.Where(l => l.System == "gateway").ToList() is { Count: > 0 } gw)
            {
                var top = gw.MaxBy(l => l.Clients)!;
                var best = gw.Max(l => l.Qps);
                targets.Add(new($"mixed 95/5, {top.Clients} clients", "point p99 ≤ 50 ms", $"{F(top.Point.P99, "F1")} ms", top.Point.P99 <= 50));
                targets.Add(new($"mixed 95/5, {top.Clients} clients", "throughput ≥ 90% of the best client count", $"{F(100 * top.Qps / best, "F0")}%", top.Qps >= 0.9 * best));
            }
        }

        if (Repeated is { } r6)
        {
            s.AppendLine("### A repeated dashboard query (Q1) and Q6");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Q1's first run in this gateway process, then {options.Repeats} runs of the same text on unchanged data; Q6 after one warm-up, {options.Repeats} runs each. Results agree with PostgreSQL's: {(r6.Agree ? "yes" : "**NO**")}.");
            s.AppendLine();
            s.AppendLine("| Query | System | n | p50 | p95 | p99 |");
            s.AppendLine("|---|---|---:|---:|---:|---:|");
            foreach (var m in new[] { r6.Q1First, r6.Q1Again, r6.Q1Postgres, r6.Q6Gateway, r6.Q6Postgres }.Where(m => m is not null))
                s.AppendLine("| " + m!.Workload + " " + Row(m));
            s.AppendLine();
            var share = r6.Q1Again.Ms.P50 / r6.Q1First.Ms.P50;
            targets.Add(new("Q1 again on unchanged data", "≤ 5% of its first run", $"{F(r6.Q1Again.Ms.P50, "F1")} ms of {F(r6.Q1First.Ms.P50, "F1")} ms = {F(100 * share, "F0")}%", r6.Q1First.Ok && r6.Q1Again.Ok ? share <= 0.05 : null));
            var faster = r6.Q6Postgres is { Ok: true } q6p ? q6p.Ms.P50 / r6.Q6Gateway.Ms.P50 : double.NaN;
            targets.Add(new("Q6, asset clustered by ship date", "≥ 10× faster than PostgreSQL + RLS", $"{F(faster, "F1")}× (no serving copy: the source Parquet)", double.IsNaN(faster) ? null : faster >= 10));
        }
        if (HandWritten.Count > 0)
        {
            s.AppendLine("### Q1 and Q6 as written against the governed query written by hand");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Through the gateway as a consumer writes them, against the same query over `(SELECT * EXCLUDE (l_comment) FROM read_parquet(…) WHERE l_shipmode IN ('MAIL', 'SHIP'))` in process (no fence); {options.Repeats} runs each after one warm-up, interleaved.");
            s.AppendLine();
            s.AppendLine("| Query | Fenced by the gateway | Gateway, as written p50 | By hand, in process p50 | Ratio | Results agree |");
            s.AppendLine("|---|---|---:|---:|---:|---|");
            foreach (var h in HandWritten)
            {
                var ratio = h.Gateway.Ms.P50 / h.HandWritten.Ms.P50;
                s.AppendLine(CultureInfo.InvariantCulture, $"| {h.Query} | {(h.Fenced ? "yes" : "no")} | {F(h.Gateway.Ms.P50, "F1")} | {F(h.HandWritten.Ms.P50, "F1")} | {F(ratio)}× | {(h.Agree ? "yes" : "**NO**")} |");
                targets.Add(new($"{h.Query} as written vs governed by hand", "≤ 1.10×", $"{F(ratio)}× ({(h.Fenced ? "fenced" : "not fenced")})", h.Gateway.Ok && h.HandWritten.Ok ? ratio <= 1.10 : null));
            }
            s.AppendLine();
        }

        if (Copy is { } c)
        {
            s.AppendLine("### The serving copy (clustered by `l_shipdate`, ART index on `l_orderkey`), in process");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Built by `ServingCopyBuilder` from the Parquet file ({c.ParquetBytes / 1048576.0:F0} MiB): {c.Copy.Rows:N0} rows, **{c.Copy.Bytes / 1048576.0:F0} MiB**, in **{c.Copy.Elapsed.TotalSeconds:F1} s** (reading and sorting {c.Copy.Loading.TotalSeconds:F1} s, the key's index {c.Copy.Indexing.TotalSeconds:F1} s, writing the file {c.Copy.Writing.TotalSeconds:F1} s); one full scan of the Parquet file (`SELECT max(COLUMNS(*))`) took {F(c.FullScan.Ms.P50 / 1000, "F1")} s. "
                + $"Then, on one DuckDB connection with the copy attached read-only, the consumer's governed queries as the planner rewrites them (row filter, `l_comment` excluded), over the files and over the copy (the same text with the source replaced), alternating. The server does not use the copy yet. Results agree: {(c.Agree ? "yes" : "**NO**")}.");
            s.AppendLine();
            s.AppendLine("| Query | Source | n | p50 | p95 | p99 |");
            s.AppendLine("|---|---|---:|---:|---:|---:|");
            foreach (var m in new[] { c.PointFiles, c.PointCopy, c.KeyOnlyCopy, c.Q6Files, c.Q6Copy })
                s.AppendLine("| " + m.Workload + " " + Row(m));
            s.AppendLine();
            var ratio = c.Copy.Elapsed.TotalMilliseconds / c.FullScan.Ms.P50;
            targets.Add(new("building the serving copy of the asset", "≤ 2× one full scan; size reported",
                $"{c.Copy.Elapsed.TotalSeconds:F1} s vs {F(c.FullScan.Ms.P50 / 1000, "F1")} s = {F(ratio, "F1")}×; {c.Copy.Bytes / 1048576.0:F0} MiB (Parquet {c.ParquetBytes / 1048576.0:F0} MiB)", c.FullScan.Ok ? ratio <= 2 : null));
        }
        else targets.Add(new("building the serving copy of the asset", "≤ 2× one full scan; size reported", "not run", null));

        s.AppendLine("### Targets of issue 18 in this run");
        s.AppendLine();
        ReportTables.Targets(s, targets);
        return s.ToString();
    }
}
