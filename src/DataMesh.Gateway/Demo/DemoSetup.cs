using DataMesh.Gateway.Authentication;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Demo;

/// <summary>
/// Prepares a data directory for <c>serve --demo</c>: the demo users (password = user name, demo only),
/// the marketing producer's Parquet files (generated once from catalog-seed/demo-data.sql), and the views
/// queries use until the catalog replaces them.
/// </summary>
public static class DemoSetup
{
    public static readonly string[] DemoUsers = ["carol", "alice", "bob", "dave"];

    public sealed record Result(IReadOnlyList<string> AllowedDirectories, IReadOnlyList<string> SetupStatements);

    public static Result Prepare(string dataDirectory, string seedDirectory, FileUserStore users, ILogger logger)
    {
        foreach (var user in DemoUsers)
        {
            if (users.FindVerifier(user) is null) users.SetPassword(user, user);
        }

        var marketingRoot = Path.GetFullPath(Path.Combine(dataDirectory, "accounts", "acct_marketing"));
        var marker = Path.Combine(marketingRoot, ".generated");
        if (!File.Exists(marker))
        {
            logger.LogInformation("Generating demo producer data under {Root} (first start only)", marketingRoot);
            foreach (var dir in new[] { "sales", "campaigns", "drafts" }) Directory.CreateDirectory(Path.Combine(marketingRoot, dir));
            using var connection = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
            connection.Open();
            foreach (var sql in Statements(Path.Combine(seedDirectory, "demo-data.sql"), marketingRoot))
            {
                using var cmd = connection.CreateCommand();
                cmd.CommandText = sql;
                cmd.ExecuteNonQuery();
            }
            File.WriteAllText(marker, DateTime.UtcNow.ToString("O"));
        }
        return new Result([marketingRoot], Statements(Path.Combine(seedDirectory, "demo-views.sql"), marketingRoot).ToList());
    }

    private static IEnumerable<string> Statements(string file, string marketingRoot) =>
        File.ReadAllText(file)
            .Replace("{marketing_root}", marketingRoot.Replace("'", "''", StringComparison.Ordinal), StringComparison.Ordinal)
            .Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => string.Join('\n', s.Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal))).Trim().TrimEnd(';'))
            .Where(s => s.Length > 0);
}
