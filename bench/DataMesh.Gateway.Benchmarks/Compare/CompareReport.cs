using System.Globalization;
using System.Text;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>The `compare` run's figures as markdown: one table per workload and the targets with met/missed.</summary>
public sealed class CompareReport(CompareOptions options)
{
    public List<TpchComparison.Result> Tpch { get; set; } = [];
    public (Measurement Gateway, Measurement? Postgres) Connect { get; set; }
    public (Measurement Gateway, Measurement InProcess) Point { get; set; }
    public List<ConcurrencyLoad.Level> Levels { get; } = [];
    public List<Pgbench.Run> Pgbench { get; } = [];
    public MetadataScale.Result? Metadata { get; set; }
    public CatalogScale.Result? Catalog { get; set; }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string F(double v, string format = "F1") => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);
    private static string Ms(Measurement? m) => m is null ? "–" : m.Ok ? F(m.Ms.P50) + " (" + F(m.Ms.Best) + ")" : "error: " + m.Error;
    private static string Ratio(double a, double b) => double.IsNaN(a) || double.IsNaN(b) || b == 0 ? "–" : F(a / b, "F2") + "×";

    public string Render()
    {
        var s = new StringBuilder();
        var targets = new List<TargetResult>();
        s.AppendLine(Inv($"Rows: {options.Rows:N0}; consumer `consumer` in `bench_consumer` (row filter `l_shipmode IN ('MAIL', 'SHIP')`, `l_comment` excluded); ")
            + Inv($"gateway in its own process; DuckDB threads {options.Threads}; PostgreSQL 15 consumer role under an equivalent RLS policy (setting wrapped in `(SELECT …)`), ")
            + "column privileges on the 15 visible columns, B-tree indexes on `l_orderkey` and `l_shipdate`. Times in ms: median (best).");
        s.AppendLine();

        if (Tpch.Count > 0)
        {
            s.AppendLine("### Q1 and Q6, governed");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Interleaved run by run, {options.Runs} timed runs after one warm-up each.");
            s.AppendLine();
            s.AppendLine("| Query | Fenced | Rows | In-process, same rewritten SQL | Gateway → Npgsql | **Gateway / in-process** (median) | PostgreSQL 15 + RLS → Npgsql | **PostgreSQL / gateway** (median) | Results agree (gateway = in-process; PostgreSQL) |");
            s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var r in Tpch)
            {
                var ratio = r.Gateway.Ms.P50 / r.InProcess.Ms.P50;
                var pgRatio = r.Postgres is { Ok: true } p ? p.Ms.P50 / r.Gateway.Ms.P50 : double.NaN;
                s.AppendLine(CultureInfo.InvariantCulture, $"| {r.Query} | {(r.Barrier ? "yes" : "no")} | {r.Gateway.Rows} | {Ms(r.InProcess)} | {Ms(r.Gateway)} | {Ratio(r.Gateway.Ms.P50, r.InProcess.Ms.P50)} | {Ms(r.Postgres)} | {(double.IsNaN(pgRatio) ? "–" : F(pgRatio, "F1") + "×")} | {(r.GatewayAgrees ? "yes" : "NO")}; {(r.PostgresAgrees is { } a ? (a ? "yes" : "NO") : "–")} |");
                var limit = r.Query == "Q1" ? 1.05 : 1.10;
                targets.Add(new($"{r.Query} through the gateway vs in-process", $"≤ {limit:F2}×", Ratio(r.Gateway.Ms.P50, r.InProcess.Ms.P50), r.Gateway.Ok && r.InProcess.Ok ? ratio <= limit : null));
                var need = r.Query == "Q1" ? 5 : 10;
                targets.Add(new($"{r.Query}: gateway vs PostgreSQL + RLS", $"≥ {need}× faster", double.IsNaN(pgRatio) ? "–" : F(pgRatio) + "×", double.IsNaN(pgRatio) ? null : pgRatio >= need));
            }
            s.AppendLine();
        }

        var (cg, cp) = Connect;
        var (pg, pl) = Point;
        if (cg is not null || pg is not null)
        {
            s.AppendLine("### Connection and point-query latency");
            s.AppendLine();
            s.AppendLine("| Workload | System | n | p50 | p95 | p99 |");
            s.AppendLine("|---|---|---:|---:|---:|---:|");
            foreach (var m in new[] { cg, cp, pg, pl }.Where(m => m is not null))
                s.AppendLine(CultureInfo.InvariantCulture, $"| {m!.Workload} | {m.System} | {m.Ms.Count} | {F(m.Ms.P50, "F2")} | {F(m.Ms.P95, "F2")} | {F(m.Ms.P99, "F2")} |{(m.Error is null ? "" : " error: " + m.Error)}");
            var overheadUs = pg is null ? double.NaN : (pg.Ms.P50 - pl.Ms.P50) * 1000;
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Connect: a new Npgsql connection without pooling (TCP, startup, SCRAM-SHA-256, for the gateway session start with grant resolution), `SELECT 1`, close. Point-ish: `l_orderkey = <key>` (one Parquet row group read), the same text each time so the rewrite is a cache hit; overhead = gateway p50 − in-process p50 = **{F(overheadUs, "F0")} µs**.");
            s.AppendLine();
            if (cg is not null)
                targets.Add(new("connect + SCRAM + first query", "p50 ≤ 3 ms", $"{F(cg.Ms.P50, "F2")} ms (PostgreSQL {F(cp?.Ms.P50 ?? double.NaN, "F2")} ms)", cg.Ok ? cg.Ms.P50 <= 3 : null));
            if (pg is not null)
                targets.Add(new("point-ish governed query, cached rewrite", "p50 overhead ≤ 100 µs", $"{F(overheadUs, "F0")} µs", pg.Ok && pl.Ok ? overheadUs <= 100 : null));
        }

        if (Levels.Count > 0)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"### Mixed concurrent load ({100 - ConcurrencyLoad.ScanPercent}% point lookups by random key, {ConcurrencyLoad.ScanPercent}% Q6-shaped scans)");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Each client: its own connection, a fixed-seed random mix, {options.LevelSeconds} s per client count. Point lookups are one parameterised text (one cached rewrite).");
            s.AppendLine();
            ReportTables.Levels(s, Levels);
            if (Levels.Where(l => l.System == "gateway").ToList() is { Count: > 0 } gw)
            {
                var top = gw.MaxBy(l => l.Clients)!;
                var best = gw.Max(l => l.Qps);
                targets.Add(new($"{top.Clients} concurrent clients, mixed", "throughput ≥ 90% of the best client count", $"{F(100 * top.Qps / best, "F0")}%", top.Qps >= 0.9 * best));
                targets.Add(new($"{top.Clients} concurrent clients, mixed", "point p99 ≤ 10 ms", $"{F(top.Point.P99, "F1")} ms", top.Point.P99 <= 10));
                var errors = gw.Sum(l => l.Errors.Values.Sum());
                targets.Add(new($"{top.Clients} concurrent clients, mixed", "zero errors", errors.ToString(CultureInfo.InvariantCulture), errors == 0));
            }
        }

        if (Pgbench.Count > 0)
        {
            s.AppendLine("### pgbench (point lookup by random key, extended protocol)");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"`pgbench -n -M extended -c N -j 2 -T {options.LevelSeconds} -f point.sql --log` with `\\set k random(1, rows/4)` and the 15-column lookup; latencies from pgbench's per-transaction log.");
            s.AppendLine();
            s.AppendLine("| System | Clients | tps | p50 | p95 | p99 | Failed | Error |");
            s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var r in Pgbench)
                s.AppendLine(CultureInfo.InvariantCulture, $"| {r.System} | {r.Clients} | {F(r.Tps, "F0")} | {F(r.Latency.P50, "F2")} | {F(r.Latency.P95, "F2")} | {F(r.Latency.P99, "F2")} | {r.Failed} | {r.Error ?? ""} |");
            s.AppendLine();
        }

        if (Metadata is { } md)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"### Metadata with {md.Assets:N0} subscribed assets");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"The consumer is subscribed to {md.Assets:N0} published assets (plus `bench.lineitem`), made with the admin commands ({F(md.SetupSeconds, "F0")} s when new). psql: its exact `\\dt bench.*` text through Npgsql; JDBC: the real pgjdbc driver calling `getTables(null, null, \"%\", {{\"TABLE\"}})` on one connection.");
            s.AppendLine();
            s.AppendLine("| Query | Rows | n | p50 | p95 | Error |");
            s.AppendLine("|---|---:|---:|---:|---:|---|");
            foreach (var m in new[] { md.PsqlDt, md.JdbcGetTables })
                s.AppendLine(CultureInfo.InvariantCulture, $"| {m.Workload} | {m.Rows} | {m.Ms.Count} | {F(m.Ms.P50, "F2")} | {F(m.Ms.P95, "F2")} | {m.Error ?? ""} |");
            s.AppendLine();
            foreach (var m in new[] { md.PsqlDt, md.JdbcGetTables })
                targets.Add(new(m.Workload, "p95 ≤ 20 ms", m.Ok ? $"{F(m.Ms.P95, "F1")} ms" : "error: " + m.Error, m.Ok ? m.Ms.P95 <= 20 : false));
        }

        if (Catalog is { } c)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"### A large catalog: {c.Assets:N0} assets, {c.Subscriptions:N0} subscriptions");
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"Seeded by cloning rows the admin commands wrote ({F(c.SeedSeconds, "F0")} s when new); opening the catalog (loading the snapshot) took {F(c.OpenSeconds, "F1")} s. Session start = `GovernanceService.Open` + grant resolution + engine spec for a consumer project with {c.GrantsPerProject} grants; \"first\" is the first session of that project (grant-set cache miss).");
            s.AppendLine();
            s.AppendLine("| Workload | n | p50 | p95 | p99 | Error |");
            s.AppendLine("|---|---:|---:|---:|---:|---|");
            foreach (var m in new[] { c.Search, c.SessionStartCold, c.SessionStartWarm })
                s.AppendLine(CultureInfo.InvariantCulture, $"| {m.Workload} | {m.Ms.Count} | {F(m.Ms.P50, "F2")} | {F(m.Ms.P95, "F2")} | {F(m.Ms.P99, "F2")} | {m.Error ?? ""} |");
            s.AppendLine();
            targets.Add(new("SEARCH CATALOG, 100k assets / 1M subscriptions", "p95 ≤ 20 ms", c.Search.Ok ? $"{F(c.Search.Ms.P95, "F1")} ms" : "error: " + c.Search.Error, c.Search.Ok ? c.Search.Ms.P95 <= 20 : false));
            targets.Add(new("session start (grant resolution), 1M subscriptions", "≤ 5 ms", $"first {F(c.SessionStartCold.Ms.P95, "F2")} ms p95, again {F(c.SessionStartWarm.Ms.P95, "F2")} ms p95", c.SessionStartCold.Ms.P95 <= 5));
        }

        s.AppendLine("### Targets of this run");
        s.AppendLine();
        ReportTables.Targets(s, targets);
        return s.ToString();
    }
}
