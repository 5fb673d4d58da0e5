using System.Diagnostics;
using System.Globalization;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Demo;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataMesh.Gateway.Benchmarks.Scale;

/// <summary>
/// <c>seed-catalog --data-dir DIR --assets N --subscriptions M</c>: a demo data directory (exactly what
/// <c>serve --demo</c> prepares: its users keep their demo roles) whose catalog also holds a company's mesh:
/// 1,000 producer projects owned by user <c>producer</c> with N published assets between them, and 10,000 consumer
/// projects owned by user <c>consumer</c> with M approved subscriptions between them (M / 10,000 each, to distinct
/// assets spread over the producers); passwords equal user names. Every seeded asset reads the demo's sales file,
/// hard-linked into its producer's own storage prefix (an asset may only read inside its project's storage; a hard link
/// costs no space and is no link a path check could see), and copies the demo asset's schema, revision and search text; every subscription copies the demo's approved grant (its
/// row filter, excluded column and pinned columns) with a justification of its own. Rows are cloned in SQL in one
/// transaction (admin commands would take hours), and the change log gets an "everything changed" entry, so a gateway
/// running on the directory reloads. Re-running with the same N and M does nothing.
/// </summary>
public static class CatalogSeeder
{
    public const int ProducerProjects = 1000;
    public const int ConsumerProjects = 10_000;
    public const string ProducerUser = "producer";
    public const string ConsumerUser = "consumer";
    private static readonly string[] Words = ["revenue", "churn", "campaign", "inventory", "shipment", "invoice", "forecast", "supplier", "customer", "ledger"];

    public static int Run(string[] args)
    {
        string? dir = null;
        int assets = 100_000, subscriptions = 1_000_000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data-dir": dir = args[i + 1]; break;
                case "--assets": assets = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--subscriptions": subscriptions = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException("usage: seed-catalog --data-dir DIR --assets N --subscriptions M");
            }
        }
        if (dir is null) throw new ArgumentException("usage: seed-catalog --data-dir DIR --assets N --subscriptions M");
        Seed(Path.GetFullPath(dir), assets, subscriptions, Console.Error.WriteLine);
        return 0;
    }

    /// <summary>The consumer project number <paramref name="i"/>.</summary>
    public static string Consumer(int i) => string.Create(CultureInfo.InvariantCulture, $"c_{i:D5}");

    /// <summary>The k-th asset granted to consumer <paramref name="consumer"/> (the seed's spread), as project.asset.</summary>
    public static string GrantedAsset(int consumer, int k, int assets) => Asset((consumer * 97 + k * 1009) % assets);

    /// <summary>Seeded asset number <paramref name="i"/> as project.asset.</summary>
    public static string Asset(int i) => string.Create(CultureInfo.InvariantCulture, $"p_{i % ProducerProjects:D4}.a_{i:D6}");

    public static void Seed(string dataDir, int assets, int subscriptions, Action<string> log)
    {
        var sw = Stopwatch.StartNew();
        Directory.CreateDirectory(dataDir);
        using (var catalog = AdminCatalog.Open(dataDir))
        {
            DemoSetup.Prepare(dataDir, Path.Combine(AppContext.BaseDirectory, "catalog-seed"), catalog, NullLogger.Instance);
            foreach (var sql in new[]
            {
                $"CREATE USER {ProducerUser} PASSWORD '{ProducerUser}'", $"CREATE USER {ConsumerUser} PASSWORD '{ConsumerUser}'",
                $"ASSOCIATE ACCOUNT acct_seed LOCATION '{Path.Combine(dataDir, "accounts", "acct_seed")}' ADMIN carol", "ACCEPT ACCOUNT acct_seed",
                "CREATE PROJECT PROFILE seed_profile BLUEPRINTS (query_limits WITH (memory = '1GB'))",
            })
                Stream.GatewayProcess.Admin(catalog, "carol", sql);
        }
        log($"seed-catalog: demo data directory ready in {sw.Elapsed.TotalSeconds:F1}s");

        using var connection = new SqliteConnection($"Data Source={AdminCatalog.CatalogPath(dataDir)}");
        connection.Open();
        var marker = $"{assets}/{subscriptions}";
        if (Scalar(connection, null, "SELECT value FROM meta WHERE key = 'seed_catalog'") as string == marker)
        {
            log($"seed-catalog: {marker} already seeded");
            return;
        }
        using var tx = connection.BeginTransaction();
        void Exec(string sql, params (string, object)[] args)
        {
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            cmd.CommandTimeout = 0;
            foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
            cmd.ExecuteNonQuery();
        }
        Exec("CREATE TEMP TABLE n (i INTEGER PRIMARY KEY)");
        Exec("WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i + 1 < $max) INSERT INTO n SELECT i FROM r",
            ("$max", Math.Max(Math.Max(assets, ConsumerProjects), subscriptions)));
        SeedProjects(Exec);
        var seedAccount = Path.Combine(dataDir, "accounts", "acct_seed");
        LinkSalesFiles(dataDir, seedAccount);
        SeedAssets(Exec, assets, seedAccount);
        SeedSubscriptions(Exec, assets, subscriptions);
        // A bulk change: the log says so, and whoever follows it reads everything again.
        Exec("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalog_version'");
        Exec("INSERT INTO catalog_changes SELECT CAST(value AS INTEGER), 'all', '' FROM meta WHERE key = 'catalog_version'");
        Exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('seed_catalog', $m)", ("$m", marker));
        tx.Commit();
        log($"seed-catalog: {assets} assets, {subscriptions} subscriptions, {ProducerProjects + ConsumerProjects} projects in {sw.Elapsed.TotalSeconds:F0}s");
    }

    private static void SeedProjects(Action<string, (string, object)[]> exec)
    {
        const string Insert = "INSERT INTO projects (name, account, profile, description, resources, created_by, created_at, storage_prefix) ";
        exec(Insert + "SELECT printf('p_%04d', i), 'acct_seed', 'seed_profile', 'producer ' || i, '{}', 'carol', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', printf('p_%04d', i) FROM n WHERE i < $c",
            [("$c", ProducerProjects)]);
        exec(Insert + "SELECT printf('c_%05d', i), 'acct_seed', 'seed_profile', 'consumer ' || i, '{}', 'carol', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.000000Z', printf('c_%05d', i) FROM n WHERE i < $c",
            [("$c", ConsumerProjects)]);
        exec($"INSERT INTO project_members (project, principal, is_group, role) SELECT printf('p_%04d', i), '{ProducerUser}', 0, 'owner' FROM n WHERE i < $c",
            [("$c", ProducerProjects)]);
        exec($"INSERT INTO project_members (project, principal, is_group, role) SELECT printf('c_%05d', i), '{ConsumerUser}', 0, 'owner' FROM n WHERE i < $c",
            [("$c", ConsumerProjects)]);
    }

    /// <summary>The demo's sales file in every producer's prefix, as <c>sales/</c> (the demo asset's source pattern).</summary>
    private static void LinkSalesFiles(string dataDir, string seedAccount)
    {
        var sales = Path.Combine(dataDir, "accounts", "acct_marketing", "marketing", "sales");
        foreach (var file in Directory.GetFiles(sales, "*.parquet"))
            for (var p = 0; p < ProducerProjects; p++)
            {
                var directory = Path.Combine(seedAccount, string.Create(CultureInfo.InvariantCulture, $"p_{p:D4}"), "sales");
                Directory.CreateDirectory(directory);
                var target = Path.Combine(directory, Path.GetFileName(file));
                if (!File.Exists(target) && link(file, target) != 0)
                    throw new IOException($"link {file} {target} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
#pragma warning disable CA2101, SYSLIB1054 // a bench tool on Linux: the file names are ASCII paths
    private static extern int link(string oldpath, string newpath);
#pragma warning restore CA2101, SYSLIB1054

    private static void SeedAssets(Action<string, (string, object)[]> exec, int assets, string seedAccount)
    {
        var words = string.Join(",", Words.Select(w => $"'{w}'"));
        // Ids from 1,000,000 on: the demo's own assets keep theirs.
        exec($"""
            INSERT INTO assets (id, project, name, source, resolved_path, description, terms, metadata, column_descriptions, schema,
                                published, latest_revision, created_by, created_at)
            SELECT 1000000 + n.i, printf('p_%04d', n.i % {ProducerProjects}), printf('a_%06d', n.i), a.source,
                   $account || printf('/p_%04d/', n.i % {ProducerProjects}) || a.source,
                   'asset ' || n.i || ' about ' || json_extract(json_array({words}), '$[' || (n.i % 10) || ']'),
                   a.terms, a.metadata, a.column_descriptions, a.schema, 1, a.latest_revision, '{ProducerUser}', a.created_at
            FROM n, assets a WHERE a.project = 'marketing' AND a.name = 'mkt_sls_table' AND n.i < $count
            """, [("$count", assets), ("$account", seedAccount)]);
        exec("""
            INSERT INTO asset_revisions (asset_id, revision, schema, description, published_by, published_at)
            SELECT c.id, r.revision, r.schema, c.description, c.created_by, r.published_at
            FROM assets c, assets t JOIN asset_revisions r ON r.asset_id = t.id AND r.revision = t.latest_revision
            WHERE t.project = 'marketing' AND t.name = 'mkt_sls_table' AND c.id >= 1000000
            """, []);
        // The search rows as the store writes them (name words, then the name), into both indexes: every seeded asset is published.
        foreach (var index in new[] { "asset_search", "asset_search_published" })
            exec($"""
                INSERT INTO {index} (rowid, name, description, columns, terms, metadata)
                SELECT c.id, replace(c.name, '_', ' ') || ' ' || c.name, c.description, s.columns, s.terms, s.metadata
                FROM assets c, assets t JOIN asset_search s ON s.rowid = t.id
                WHERE t.project = 'marketing' AND t.name = 'mkt_sls_table' AND c.id >= 1000000
                """, []);
    }

    private static void SeedSubscriptions(Action<string, (string, object)[]> exec, int assets, int subscriptions) => exec($"""
        INSERT INTO subscriptions (asset_id, consumer_project, justification, status, requested_by, requested_at, decided_by, decided_at,
                                   comment, row_filter, include_columns, exclude_columns, masks, expires_at, approved_columns, approved_revision)
        SELECT 1000000 + (((n.i % {ConsumerProjects}) * 97 + (n.i / {ConsumerProjects}) * 1009) % $assets), printf('c_%05d', n.i % {ConsumerProjects}),
               'seeded request ' || n.i || ' for ' || printf('c_%05d', n.i % {ConsumerProjects}), 'approved', '{ConsumerUser}', s.requested_at,
               '{ProducerUser}', s.decided_at, s.comment, s.row_filter, s.include_columns, s.exclude_columns, s.masks, s.expires_at,
               s.approved_columns, s.approved_revision
        FROM n, subscriptions s
        WHERE s.id = (SELECT min(x.id) FROM subscriptions x JOIN assets a ON a.id = x.asset_id
                      WHERE a.name = 'mkt_sls_table' AND x.consumer_project = 'ml_research' AND x.status = 'approved') AND n.i < $count
        """, [("$count", subscriptions), ("$assets", assets)]);

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
