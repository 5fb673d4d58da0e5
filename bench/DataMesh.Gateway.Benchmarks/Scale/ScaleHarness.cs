using System.Diagnostics;
using System.Globalization;
using DataMesh.Gateway.Benchmarks.Compare;
using Npgsql;
using static DataMesh.Gateway.Benchmarks.Scale.CatalogSeeder;

namespace DataMesh.Gateway.Benchmarks.Scale;

/// <summary>
/// <c>catalog-scale --data-dir DIR [--assets N] [--subscriptions M] [--rounds R] [--changes C] [--results PATH]</c>:
/// every target of the catalog-at-scale issue in one run against the real gateway on a seeded directory: start-up
/// (port, first consumer answer, background load), failed sign-ins of unknown against known users (and that they
/// reload nothing), idle memory, first sessions in 100-grant projects, SEARCH CATALOG, REQUEST/APPROVE/REVOKE/PUBLISH
/// latency and how soon an open consumer session sees an approval or revocation, and memory across C admin changes.
/// </summary>
public static class ScaleHarness
{
    public static int Run(string[] args)
    {
        string? dir = null, results = null;
        int assets = 100_000, subscriptions = 1_000_000, rounds = 40, changes = 1000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            switch (args[i])
            {
                case "--data-dir": dir = Path.GetFullPath(v); break;
                case "--assets": assets = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--subscriptions": subscriptions = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--changes": changes = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--results": results = v; break;
                default: throw new ArgumentException("unknown option " + args[i]);
            }
        }
        if (dir is null) throw new ArgumentException("usage: catalog-scale --data-dir DIR [--assets N] [--subscriptions M] [--rounds R] [--changes C] [--results PATH]");
        Seed(dir, assets, subscriptions, m => Console.Error.WriteLine(m));
        var report = new ScaleReport(assets, subscriptions,
            $"dotnet run -c Release --project bench/DataMesh.Gateway.Benchmarks -- catalog-scale --data-dir DIR --assets {assets} --subscriptions {subscriptions} --rounds {rounds} --changes {changes}");
        var perConsumer = Math.Max(1, subscriptions / ConsumerProjects);

        // The failed-login backoff would delay the sign-in probes (it slows unknown and known names alike).
        using var gateway = GatewayChild.Start(dir, new Dictionary<string, string> { ["LoginFreeFailures"] = "1000000000", ["MaxConnections"] = "512" });
        try
        {
            var probes = new ScaleProbes(gateway.Port);
            StartUp(gateway, probes, report, assets);
            SignIns(gateway, probes, report);
            FirstSessions(probes, report, assets, perConsumer);
            Search(probes, report, assets);
            var idle = gateway.ResidentMb();
            AdminLatency(probes, report, assets, perConsumer, rounds);
            MemoryAcrossChanges(gateway, probes, report, assets, perConsumer, changes, idle);
            report.Note($"catalog counters at the end: full loads {gateway.Metric("datamesh_catalog_full_loads_total")}, patches {gateway.Metric("datamesh_catalog_patches_total")}, " +
                        $"partitions read {gateway.Metric("datamesh_catalog_partitions_loaded_total")}, log position {gateway.Metric("datamesh_catalog_position")}");
            report.Note($"engine builds: {gateway.Metric("datamesh_engine_instances_from_standby_total")} patched from a project's standby; pg_catalog emulation from a spare " +
                        $"{gateway.Metric("datamesh_engine_emulations_from_spare_total")}, built on demand {gateway.Metric("datamesh_engine_emulations_on_demand_total")}");
        }
        catch (Exception e)
        {
            report.Note("run failed: " + e.Message);
            foreach (var line in gateway.Log.TakeLast(30)) Console.Error.WriteLine("  gateway: " + line);
            throw;
        }
        finally
        {
            Console.WriteLine(report.Render());
            if (results is not null) report.WriteTo(results);
        }
        return 0;
    }

    private static void StartUp(GatewayChild gateway, ScaleProbes probes, ScaleReport report, int assets)
    {
        var port = gateway.WaitForPort(TimeSpan.FromSeconds(60));
        report.Target("start until the port accepts", "≤ 1 s", ScaleReport.Ms(port), port <= 1000);
        var (answer, startingUp) = probes.FirstAnswer(gateway.Started, ConsumerUser, Consumer(1), $"SELECT count(*) FROM {GrantedAsset(1, 0, assets)}", TimeSpan.FromMinutes(5));
        report.Target("start until a consumer query is answered", "≤ 5 s", ScaleReport.Ms(answer), answer <= 5000,
            $"{startingUp} connection(s) answered 57P03 first");
        var projects = ProducerProjects + ConsumerProjects + 3;
        var sw = Stopwatch.StartNew();
        while ((gateway.Metric("datamesh_catalog_partitions_loaded_total") ?? 0) < projects && sw.Elapsed < TimeSpan.FromMinutes(20)) Thread.Sleep(200);
        report.Note($"every project's partition in memory {(DateTime.UtcNow - gateway.Started).TotalSeconds:F1} s after start (background load; load average {GatewayChild.LoadAverage()})");
        Thread.Sleep(TimeSpan.FromSeconds(10)); // idle: let the collector settle after the load
        var idle = gateway.ResidentMb();
        report.Target("memory idle (everything loaded)", "≤ 600 MB", $"{idle:F0} MB RSS", idle <= 600);
    }

    private static void SignIns(GatewayChild gateway, ScaleProbes probes, ScaleReport report)
    {
        var loads = gateway.Metric("datamesh_catalog_full_loads_total");
        var partitions = gateway.Metric("datamesh_catalog_partitions_loaded_total");
        Samples unknown = new(), known = new();
        for (var i = 0; i < 60; i++)
        {
            var u = probes.FailedSignIn($"nobody_{Guid.NewGuid():N}"[..20], "guess");
            var k = probes.FailedSignIn(ConsumerUser, "wrong-" + i);
            if (i < 10) continue; // warm-up
            unknown.Add(u);
            known.Add(k);
        }
        var reloads = gateway.Metric("datamesh_catalog_full_loads_total") - loads;
        var read = gateway.Metric("datamesh_catalog_partitions_loaded_total") - partitions;
        report.Target("unknown-user sign-in (wire: connect, SCRAM, 28P01)", "≤ 10 ms, no reload",
            $"p50 {ScaleReport.Ms(unknown.P50)}, p95 {ScaleReport.Ms(unknown.P95)}; {reloads} reloads, {read} partitions read", unknown.P50 <= 10 && reloads == 0 && read == 0,
            $"known user, wrong password: p50 {ScaleReport.Ms(known.P50)}, p95 {ScaleReport.Ms(known.P95)} (ratio of medians {unknown.P50 / known.P50:F2})");
    }

    private static void FirstSessions(ScaleProbes probes, ScaleReport report, int assets, int perConsumer)
    {
        Samples first = new(), again = new();
        for (var i = 0; i < 10; i++)
        {
            var project = 5000 + i * 17;
            var sql = $"SELECT count(*) FROM {GrantedAsset(project, perConsumer - 1, assets)}";
            foreach (var samples in new[] { first, again })
            {
                var sw = Stopwatch.StartNew();
                using var session = probes.Open(ConsumerUser, Consumer(project));
                ScaleProbes.Timed(session, sql, null);
                samples.Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        report.Target($"first session in a {perConsumer}-grant project (connect + SCRAM + first query)", "≤ 50 ms",
            $"p50 {ScaleReport.Ms(first.P50)}, max {ScaleReport.Ms(first.P(100))}", first.P50 <= 50,
            $"a second session in the same project: p50 {ScaleReport.Ms(again.P50)}");
    }

    private static void Search(ScaleProbes probes, ScaleReport report, int assets)
    {
        string[] words = ["revenue", "churn", "campaign", "inventory", "shipment", "invoice", "forecast", "supplier", "customer", "ledger"];
        using var connection = probes.Open(ConsumerUser, "postgres");
        var samples = new Samples();
        for (var i = 0; i < 205; i++)
            ScaleProbes.Timed(connection, $"SEARCH CATALOG '{words[i % words.Length]} {i * 7919 % assets}'", i < 5 ? null : samples);
        report.Target("SEARCH CATALOG", "p95 ≤ 20 ms", $"p50 {ScaleReport.Ms(samples.P50)}, p95 {ScaleReport.Ms(samples.P95)}", samples.P95 <= 20);
    }

    /// <summary>REQUEST → APPROVE → (visible) → REVOKE → (gone) on assets the consumer has no grant to yet, and PUBLISH.</summary>
    private static void AdminLatency(ScaleProbes probes, ScaleReport report, int assets, int perConsumer, int rounds)
    {
        const int Project = 2;
        using var consumer = probes.Open(ConsumerUser, "postgres");
        using var producer = probes.Open(ProducerUser, "postgres");
        using var owner = probes.Open("alice", "postgres");
        using var session = probes.Open(ConsumerUser, Consumer(Project));
        ScaleProbes.Timed(session, $"SELECT count(*) FROM {GrantedAsset(Project, 0, assets)}", null);
        Samples request = new(), approve = new(), revoke = new(), publish = new(), shown = new(), hidden = new();
        for (var r = 0; r < rounds; r++)
        {
            var asset = GrantedAsset(Project, perConsumer + r, assets); // not granted to the project yet
            var sql = $"SELECT count(*) FROM {asset}";
            var id = Convert.ToInt64(ScaleProbes.Timed(consumer,
                $"REQUEST SUBSCRIPTION TO {asset} FOR PROJECT {Consumer(Project)} JUSTIFICATION 'scale run {r}'", request), CultureInfo.InvariantCulture);
            ScaleProbes.Timed(producer, $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'Europe') EXCLUDE COLUMNS (customer_email)", approve);
            shown.Add(ScaleProbes.UntilVisible(session, sql, succeed: true, "42501", Stopwatch.StartNew(), TimeSpan.FromSeconds(60)));
            ScaleProbes.Timed(producer, $"REVOKE SUBSCRIPTION {id}", revoke);
            hidden.Add(ScaleProbes.UntilVisible(session, sql, succeed: false, "42501", Stopwatch.StartNew(), TimeSpan.FromSeconds(60)));
            ScaleProbes.Timed(owner, "PUBLISH ASSET marketing.mkt_sls_table", publish);
        }
        foreach (var (name, samples) in new[] { ("REQUEST SUBSCRIPTION", request), ("APPROVE SUBSCRIPTION", approve), ("REVOKE SUBSCRIPTION", revoke), ("PUBLISH ASSET", publish) })
            report.Target(name + " latency", "p95 ≤ 50 ms", $"p50 {ScaleReport.Ms(samples.P50)}, p95 {ScaleReport.Ms(samples.P95)}", samples.P95 <= 50);
        report.Target("APPROVE visible to an open consumer session (engine rebuilt)", "≤ 100 ms", $"p50 {ScaleReport.Ms(shown.P50)}, p95 {ScaleReport.Ms(shown.P95)}", shown.P95 <= 100);
        report.Target("REVOKE visible to an open consumer session", "≤ 100 ms", $"p50 {ScaleReport.Ms(hidden.P50)}, p95 {ScaleReport.Ms(hidden.P95)}", hidden.P95 <= 100);
    }

    private static void MemoryAcrossChanges(GatewayChild gateway, ScaleProbes probes, ScaleReport report, int assets, int perConsumer, int changes, double idle)
    {
        using var consumer = probes.Open(ConsumerUser, "postgres");
        using var producer = probes.Open(ProducerUser, "postgres");
        var loads = gateway.Metric("datamesh_catalog_full_loads_total");
        var before = gateway.ResidentMb();
        var done = 0;
        for (var r = 0; done < changes; r++)
        {
            var project = 1000 + r % 3000;
            var asset = GrantedAsset(project, perConsumer + 50 + r / 3000, assets);
            var id = Convert.ToInt64(ScaleProbes.Timed(consumer, $"REQUEST SUBSCRIPTION TO {asset} FOR PROJECT {Consumer(project)} JUSTIFICATION 'churn {r}'", null), CultureInfo.InvariantCulture);
            ScaleProbes.Timed(producer, $"APPROVE SUBSCRIPTION {id}", null);
            ScaleProbes.Timed(producer, $"ALTER ASSET {asset} SET DESCRIPTION 'changed in round {r}'", null);
            ScaleProbes.Timed(producer, $"REVOKE SUBSCRIPTION {id}", null);
            done += 4;
        }
        var after = gateway.ResidentMb();
        Thread.Sleep(TimeSpan.FromSeconds(10));
        var settled = gateway.ResidentMb();
        var reloads = gateway.Metric("datamesh_catalog_full_loads_total") - loads;
        var flat = Math.Abs(settled - before) <= before * 0.10;
        report.Target($"memory across {done} admin changes", "flat (±10%)", $"{before:F0} → {after:F0} MB RSS, {settled:F0} MB 10 s later ({(settled - before) / before * 100:+0.0;-0.0}%)",
            flat, $"{reloads} reloads; idle RSS before the latency rounds {idle:F0} MB");
    }
}
