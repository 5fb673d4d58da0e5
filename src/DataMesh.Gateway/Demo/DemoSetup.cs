using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog.Store.Postgres;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Demo;

/// <summary>
/// Prepares a data directory for <c>serve --demo</c>: the marketing producer's Parquet files (generated once from
/// catalog-seed/demo-data.sql into project marketing's storage prefix), the demo catalog (carol bootstrapped as domain admin, then catalog-seed/demo.sql
/// run as the users it names; passwords = user names, demo only), and the demo identity provider's key and JWKS.
/// Queries read the assets through policy rewrites.
/// </summary>
public static class DemoSetup
{
    public static readonly string[] DemoUsers = ["carol", "alice", "bob", "dave"];

    public static void Prepare(string dataDirectory, string seedDirectory, AdminCatalog catalog, ILogger logger)
    {
        if (catalog.Catalog.Store is PostgresCatalogStore shared)
        {
            PrepareShared(shared, dataDirectory, seedDirectory, catalog, logger);
            return;
        }
        // Several gateways (or test hosts) may start on one data directory at once: one prepares, the others wait.
        using var exclusive = AcquireLock(Path.Combine(dataDirectory, ".demo.lock"));
        // The catalog was opened before the wait: another host may have seeded it meanwhile.
        catalog.Catalog.Refresh();
        GenerateProducerFiles(dataDirectory, seedDirectory, logger);

        var seeded = Path.Combine(dataDirectory, ".demo-seeded");
        if (!File.Exists(seeded))
        {
            Seed(dataDirectory, seedDirectory, catalog, logger);
            File.WriteAllText(seeded, DateTime.UtcNow.ToString("O"));
        }
        DemoIdentity.EnsureKeys(dataDirectory);
    }

    /// <summary>Any fixed number: the advisory lock the nodes of a fleet take to seed a shared demo catalog one at a time.</summary>
    public const long SharedSeedLock = 0x44_65_6D_6F_53_65_65_64; // "DemoSeed"

    /// <summary>
    /// <c>--demo</c> on a shared PostgreSQL catalog: the catalog is seeded once, by the first node to take the fleet-wide
    /// lock, with the producer files generated under that node's data directory (the account locations the catalog
    /// records); nodes after it find a catalog that holds projects and serve it as it is, over those same files, which
    /// they must reach under the same path (docs/DEPLOYMENT.md). The demo identity provider's key is each node's own.
    /// </summary>
    private static void PrepareShared(PostgresCatalogStore shared, string dataDirectory, string seedDirectory, AdminCatalog catalog, ILogger logger)
    {
        using (shared.HoldAdvisoryLock(SharedSeedLock, TimeSpan.FromMinutes(2)))
        {
            // Another node may have seeded the catalog while this one waited.
            catalog.Catalog.Refresh();
            if (catalog.Catalog.Snapshot.Projects.Any())
            {
                // --demo trusts the demo's own token issuer for any user name, domain admins included: on a catalog the
                // demo did not seed (a real fleet's), that would open every account to whoever reads this node's data
                // directory. Fail closed.
                if (catalog.Catalog.Snapshot.Project("marketing") is null || catalog.Catalog.Snapshot.Account("acct_marketing") is null)
                    throw new InvalidOperationException("--demo on a shared catalog that holds a mesh the demo did not seed; start this node without --demo");
                logger.LogInformation("The shared catalog already holds a mesh: this node serves it without seeding");
            }
            else
            {
                GenerateProducerFiles(dataDirectory, seedDirectory, logger);
                Seed(dataDirectory, seedDirectory, catalog, logger);
            }
        }
        if (catalog.Catalog.Snapshot.Account("acct_marketing") is { ObjectStore: null } marketing && !Directory.Exists(marketing.Location))
            logger.LogWarning("The demo's producer files ({Location}) are not reachable from this node: share that path with the node that seeded the catalog", marketing.Location);
        DemoIdentity.EnsureKeys(dataDirectory);
    }

    private static void Seed(string dataDirectory, string seedDirectory, AdminCatalog catalog, ILogger logger)
    {
        if (catalog.Catalog.Snapshot.User("carol") is null) catalog.SetUser("carol", "carol", domainAdmin: true);
        DemoSeed.Run(catalog, Path.Combine(seedDirectory, "demo.sql"), dataDirectory, logger);
    }

    /// <summary>Project marketing's Parquet files, generated once per data directory (a marker file says they are there).</summary>
    private static void GenerateProducerFiles(string dataDirectory, string seedDirectory, ILogger logger)
    {
        // Project marketing's storage prefix (its name, by default): the seed's asset sources resolve there only.
        var marketingStorage = MarketingStorage(dataDirectory);
        var marker = Path.Combine(marketingStorage, ".generated");
        if (File.Exists(marker)) return;
        logger.LogInformation("Generating demo producer data under {Root} (first start only)", marketingStorage);
        foreach (var dir in new[] { "sales", "campaigns", "drafts" }) Directory.CreateDirectory(Path.Combine(marketingStorage, dir));
        using var connection = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        connection.Open();
        foreach (var sql in Statements(Path.Combine(seedDirectory, "demo-data.sql"), marketingStorage))
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
        File.WriteAllText(marker, DateTime.UtcNow.ToString("O"));
    }

    /// <summary>Where the demo's marketing files live: <c>&lt;data-dir&gt;/accounts/acct_marketing/marketing/</c>.</summary>
    public static string MarketingStorage(string dataDirectory) =>
        Path.GetFullPath(Path.Combine(dataDirectory, "accounts", "acct_marketing", "marketing"));

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static IEnumerable<string> Statements(string file, string marketingStorage) =>
        File.ReadAllText(file)
            .Replace("{marketing_storage}", marketingStorage.Replace("'", "''", StringComparison.Ordinal), StringComparison.Ordinal)
            .Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => string.Join('\n', s.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim().TrimEnd(';'))
            .Where(s => s.Length > 0);
}
