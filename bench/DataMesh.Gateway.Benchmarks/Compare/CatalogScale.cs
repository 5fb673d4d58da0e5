using System.Diagnostics;
using System.Globalization;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Benchmarks.Stream;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Server.Engines;
using DataMesh.Gateway.Server.Governance;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// A large mesh: 100,000 assets across 1,000 producer projects and 1,000,000 approved subscriptions from 10,000
/// consumer projects (100 each). Seeding through admin commands would take hours, so one real asset and one real
/// approved subscription made by the admin commands are cloned in SQL inside one transaction: every cloned row is
/// byte-for-byte a row the store itself wrote, with a new name and id, and the search index gets one row per asset.
/// Measured: SEARCH CATALOG through the gateway, and session start (grant resolution, engine spec) in process.
/// </summary>
public static class CatalogScale
{
    public sealed record Result(int Assets, int Subscriptions, double SeedSeconds, double OpenSeconds, Measurement Search,
        Measurement SessionStartCold, Measurement SessionStartWarm, int GrantsPerProject);

    private const int ProducerProjects = 1000, ConsumerProjects = 10_000;
    private static readonly string[] Words = ["revenue", "churn", "campaign", "inventory", "shipment", "invoice", "forecast", "supplier", "customer", "ledger"];

    public static Result Run(CompareOptions options, string parquet, int assets, int subscriptions, int iterations)
    {
        var serverDir = GatewayProcess.ServerDir(options.DataDir, parquet, $"server-catalog-{assets}-{subscriptions}");
        var sw = Stopwatch.StartNew();
        using (var catalog = GatewayProcess.OpenCatalog(parquet, serverDir, options.Threads)) { }
        Seed(AdminCatalog.CatalogPath(serverDir), assets, subscriptions);
        var seed = sw.Elapsed.TotalSeconds;
        CompareHarness.Log($"catalog scale: seeded {assets} assets, {subscriptions} subscriptions in {seed:F0}s");

        sw.Restart();
        using var admin = AdminCatalog.Open(serverDir);
        var open = sw.Elapsed.TotalSeconds;
        CompareHarness.Log($"catalog scale: catalog opened (snapshot loaded) in {open:F1}s");
        using var parser = new SqlParser();
        var governance = new GovernanceService(admin.Catalog, parser);
        using var engines = new SessionEngines(admin.Catalog, governance, new EngineDefaults { Threads = options.Threads, MemoryLimit = "1GB" });
        var cold = new Measurement("session start (grant resolution), first in project", "gateway", new Samples());
        var warm = new Measurement("session start (grant resolution), again", "gateway", new Samples());
        var grants = 0;
        for (var i = 0; i < iterations; i++)
        {
            var project = ConsumerName(i * 37 % ConsumerProjects);
            foreach (var target in new[] { cold, warm })
            {
                var t = Stopwatch.StartNew();
                var access = governance.Open(GatewayProcess.ConsumerUser, project);
                grants = governance.Grants(access).All.Count();
                _ = engines.Spec(access);
                target.Ms.Add(t.Elapsed.TotalMilliseconds);
            }
        }
        CompareHarness.Log($"catalog scale: session start cold {cold.Ms}; warm {warm.Ms}; {grants} grants each");

        var search = new Measurement($"SEARCH CATALOG, {assets} assets", "gateway", new Samples());
        var (process, endpoint) = GatewayProcess.Spawn(parquet, serverDir, options.Threads);
        try
        {
            var cs = GatewayProcess.ConsumerConnectionString(endpoint.Port, ConsumerName(1), timeoutSeconds: 120);
            using var connection = new NpgsqlConnection(cs);
            connection.Open();
            for (var i = 0; i < iterations + 5; i++)
            {
                var target = i < 5 ? new Measurement("", "", new Samples()) : search;
                var text = $"SEARCH CATALOG '{Words[i % Words.Length]} {(i * 7919) % assets}'";
                QueryRunner.Time(target, () => QueryRunner.Npgsql(connection, text));
                if (target.Error is not null) { search.Error = target.Error; break; }
                search.Rows = Math.Max(search.Rows, target.Rows);
            }
        }
        finally
        {
            GatewayProcess.Stop(process, TimeSpan.FromSeconds(30));
        }
        CompareHarness.Log($"catalog scale: SEARCH CATALOG {search.Ms} {search.Error}");
        return new Result(assets, subscriptions, seed, open, search, cold, warm, grants);
    }

    private static string ConsumerName(int i) => string.Create(CultureInfo.InvariantCulture, $"c_{i:D5}");

    private static void Seed(string catalogPath, int assets, int subscriptions)
    {
        using var connection = new SqliteConnection($"Data Source={catalogPath}");
        connection.Open();
        var marker = $"{assets}/{subscriptions}";
        if (Scalar(connection, "SELECT value FROM meta WHERE key = 'bench_scale_seed'") as string == marker) return;
        using var tx = connection.BeginTransaction();
        void Exec(string sql, params (string, object)[] args)
        {
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
            cmd.ExecuteNonQuery();
        }
        // The templates: project bench, its published asset bench.lineitem, the consumer's approved subscription to it.
        Exec("CREATE TEMP TABLE n (i INTEGER PRIMARY KEY)");
        Exec("WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i + 1 < $max) INSERT INTO n SELECT i FROM r",
            ("$max", Math.Max(Math.Max(assets, ConsumerProjects), subscriptions)));
        Exec("""
            INSERT INTO projects (name, account, profile, description, resources, created_by, created_at, storage_prefix)
            SELECT printf('p_%04d', n.i), p.account, p.profile, 'producer ' || n.i, p.resources, p.created_by, p.created_at, printf('p_%04d', n.i)
            FROM n, projects p WHERE p.name = 'bench' AND n.i < $count
            """, ("$count", ProducerProjects));
        Exec("""
            INSERT INTO projects (name, account, profile, description, resources, created_by, created_at, storage_prefix)
            SELECT printf('c_%05d', n.i), p.account, p.profile, 'consumer ' || n.i, p.resources, p.created_by, p.created_at, printf('c_%05d', n.i)
            FROM n, projects p WHERE p.name = 'bench_consumer' AND n.i < $count
            """, ("$count", ConsumerProjects));
        Exec("INSERT INTO project_members (project, principal, is_group, role) SELECT printf('p_%04d', i), 'bench', 0, 'owner' FROM n WHERE i < $count",
            ("$count", ProducerProjects));
        Exec("INSERT INTO project_members (project, principal, is_group, role) SELECT printf('c_%05d', i), 'consumer', 0, 'owner' FROM n WHERE i < $count",
            ("$count", ConsumerProjects));
        var words = string.Join(",", Words.Select(w => $"'{w}'"));
        Exec($"""
            INSERT INTO assets (id, project, name, source, resolved_path, description, terms, metadata, column_descriptions, schema,
                                published, latest_revision, created_by, created_at)
            SELECT 1000000 + n.i, printf('p_%04d', n.i % $producers), printf('a_%06d', n.i), a.source, a.resolved_path,
                   'asset ' || n.i || ' about ' || json_extract(json_array({words}), '$[' || (n.i % 10) || ']'),
                   a.terms, a.metadata, a.column_descriptions, a.schema, 1, a.latest_revision, a.created_by, a.created_at
            FROM n, assets a WHERE a.project = 'bench' AND a.name = 'lineitem' AND n.i < $count
            """, ("$count", assets), ("$producers", ProducerProjects));
        Exec("""
            INSERT INTO asset_revisions (asset_id, revision, schema, description, published_by, published_at)
            SELECT c.id, r.revision, r.schema, c.description, r.published_by, r.published_at
            FROM assets c, assets t JOIN asset_revisions r ON r.asset_id = t.id AND r.revision = t.latest_revision
            WHERE t.project = 'bench' AND t.name = 'lineitem' AND c.id >= 1000000
            """);
        Exec("""
            INSERT INTO asset_search (rowid, name, description, columns, terms, metadata)
            SELECT c.id, c.project || '.' || c.name, c.description, s.columns, s.terms, s.metadata
            FROM assets c, assets t JOIN asset_search s ON s.rowid = t.id
            WHERE t.project = 'bench' AND t.name = 'lineitem' AND c.id >= 1000000
            """);
        // The seeded assets are published: SEARCH CATALOG ranks what every user may see from the published index.
        Exec("""
            INSERT INTO asset_search_published (rowid, name, description, columns, terms, metadata)
            SELECT s.rowid, s.name, s.description, s.columns, s.terms, s.metadata FROM asset_search s WHERE s.rowid >= 1000000
            """);
        // 100 per consumer project, spread over the assets: for one project the 100 asset ids are distinct.
        Exec("""
            INSERT INTO subscriptions (asset_id, consumer_project, justification, status, requested_by, requested_at, decided_by, decided_at,
                                       comment, row_filter, include_columns, exclude_columns, masks, expires_at)
            SELECT 1000000 + (((n.i % $consumers) * 97 + (n.i / $consumers) * 1009) % $assets), printf('c_%05d', n.i % $consumers), s.justification, s.status, s.requested_by,
                   s.requested_at, s.decided_by, s.decided_at, s.comment, s.row_filter, s.include_columns, s.exclude_columns, s.masks, s.expires_at
            FROM n, subscriptions s
            WHERE s.id = (SELECT max(id) FROM subscriptions WHERE consumer_project = 'bench_consumer' AND status = 'approved') AND n.i < $count
            """, ("$count", subscriptions), ("$assets", assets), ("$consumers", ConsumerProjects));
        Exec("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalog_version'");
        Exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('bench_scale_seed', $m)", ("$m", marker));
        tx.Commit();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
