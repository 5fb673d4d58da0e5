using System.Diagnostics;
using System.Globalization;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Server.Engines;
using DataMesh.Gateway.Server.Governance;
using static DataMesh.Gateway.Benchmarks.Scale.CatalogSeeder;

namespace DataMesh.Gateway.Benchmarks.Scale;

/// <summary>
/// <c>session-profile --data-dir DIR [--assets N] [--subscriptions M]</c>: where a first session in a seeded consumer
/// project spends its time, step by step in process (no wire): the catalog load, the project's partition, its grant set
/// (row filters parsed), the engine spec, the instance build, and planning the first query; then the same project again.
/// The profile behind the "first session" and "visible to an open session" rows of bench/RESULTS.md.
/// </summary>
public static class SessionProfile
{
    public static int Run(string[] args)
    {
        string? dir = null;
        int assets = 100_000, subscriptions = 1_000_000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data-dir": dir = Path.GetFullPath(args[i + 1]); break;
                case "--assets": assets = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--subscriptions": subscriptions = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException("usage: session-profile --data-dir DIR [--assets N] [--subscriptions M]");
            }
        }
        if (dir is null) throw new ArgumentException("usage: session-profile --data-dir DIR [--assets N] [--subscriptions M]");
        var perConsumer = Math.Max(1, subscriptions / ConsumerProjects);
        var sw = Stopwatch.StartNew();
        using var catalog = AdminCatalog.Open(dir);
        Console.WriteLine($"catalog load (users, projects, members): {sw.Elapsed.TotalMilliseconds:F0} ms");
        using var parser = new SqlParser();
        var governance = new GovernanceService(catalog.Catalog, parser);
        using var engines = new SessionEngines(catalog.Catalog, governance, new EngineDefaults { TempDirectory = Path.Combine(dir, "tmp", "profile") });
        for (var i = 0; i < 6; i++)
        {
            var project = Consumer(6000 + i * 13);
            var steps = new List<string>();
            double Step(string name, Action action)
            {
                var watch = Stopwatch.StartNew();
                action();
                steps.Add($"{name} {watch.Elapsed.TotalMilliseconds:F1}");
                return watch.Elapsed.TotalMilliseconds;
            }
            foreach (var round in new[] { "first", "again" })
            {
                steps.Clear();
                ProjectAccess access = null!;
                EngineSpec spec = null!;
                Step("open", () => access = governance.Open(ConsumerUser, project));
                Step("partition", () => catalog.Catalog.Snapshot.Preload([project]));
                Step("grants", () => governance.Grants(access));
                Step("spec", () => spec = engines.Spec(access));
                EngineSession? engine = null;
                Step("instance", () => engine = engines.Open(spec));
                Step("plan", () => governance.Plan(access, $"SELECT count(*) FROM {GrantedAsset(6000 + i * 13, perConsumer - 1, assets)}", SessionEngines.OptionsFor(engine!), engine));
                engine!.Dispose();
                Console.WriteLine($"{project} {round}: " + string.Join(", ", steps) + " ms");
            }
        }
        return 0;
    }
}
