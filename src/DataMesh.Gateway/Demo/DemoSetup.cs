using DataMesh.Gateway.Admin;
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
        // Several gateways (or test hosts) may start on one data directory at once: one prepares, the others wait.
        using var exclusive = AcquireLock(Path.Combine(dataDirectory, ".demo.lock"));
        // The catalog was opened before the wait: another host may have seeded it meanwhile.
        catalog.Catalog.Refresh();

        // Project marketing's storage prefix (its name, by default): the seed's asset sources resolve there only.
        var marketingStorage = MarketingStorage(dataDirectory);
        var marker = Path.Combine(marketingStorage, ".generated");
        if (!File.Exists(marker))
        {
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

        var seeded = Path.Combine(dataDirectory, ".demo-seeded");
        if (!File.Exists(seeded))
        {
            if (catalog.Catalog.Snapshot.User("carol") is null) catalog.SetUser("carol", "carol", domainAdmin: true);
            DemoSeed.Run(catalog, Path.Combine(seedDirectory, "demo.sql"), dataDirectory, logger);
            File.WriteAllText(seeded, DateTime.UtcNow.ToString("O"));
        }
        DemoIdentity.EnsureKeys(dataDirectory);
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
