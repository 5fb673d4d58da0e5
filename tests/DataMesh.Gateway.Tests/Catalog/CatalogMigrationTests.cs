using DataMesh.Gateway.Catalog.Store;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Tests.Catalog;

/// <summary>
/// A catalog an older release left behind opens under the current one: each test builds the catalog as it was after
/// its first N migrations, fills it with that release's rows, then opens it (which runs the rest) and checks the rows.
/// </summary>
public sealed class CatalogMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "migrate-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "catalog.db");

    /// <summary>The catalog after the first <paramref name="version"/> migrations, then <paramref name="rows"/> run on it.</summary>
    private void OldCatalog(int version, string rows)
    {
        Directory.CreateDirectory(_dir);
        using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        foreach (var migration in Migrations.All.Take(version)) Execute(connection, migration);
        Execute(connection, rows + $"\nPRAGMA user_version = {version};");
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private const string Release3Mesh = """
        INSERT INTO users (name, verifier, is_domain_admin, source, created_at) VALUES ('carol', NULL, 1, 'local', '2026-01-01T00:00:00.000000Z');
        INSERT INTO accounts VALUES ('acct', '/data/acct', 'carol', 'accepted', 'carol', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');
        INSERT INTO accounts VALUES ('acct2', '/data/acct2/', 'carol', 'accepted', 'carol', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z');
        INSERT INTO profiles VALUES ('p', '[]', NULL, '2026-01-01T00:00:00.000000Z');
        INSERT INTO projects VALUES ('marketing', 'acct', 'p', NULL, '{"storage":"/data/acct/marketing"}', 'carol', '2026-01-01T00:00:00.000000Z');
        INSERT INTO projects VALUES ('custom', 'acct', 'p', NULL, '{"storage":"/data/acct/teams/custom/"}', 'carol', '2026-01-01T00:00:00.000000Z');
        INSERT INTO projects VALUES ('consumer', 'acct', 'p', NULL, '{"memory_limit":"2GB"}', 'carol', '2026-01-01T00:00:00.000000Z');
        INSERT INTO projects VALUES ('sibling', 'acct2', 'p', NULL, '{"storage":"/data/acct2/sib"}', 'carol', '2026-01-01T00:00:00.000000Z');
        INSERT INTO projects VALUES ('lookalike', 'acct', 'p', NULL, '{"storage":"/data/acct-other/x"}', 'carol', '2026-01-01T00:00:00.000000Z');
        INSERT INTO assets (id, project, name, source, resolved_path, terms, metadata, column_descriptions, schema, published, latest_revision, created_by, created_at)
            VALUES (1, 'consumer', 'copy', 'sales/*.parquet', '/data/acct/sales/*.parquet', '[]', '{}', '{}', '[{"name":"a","type":"INTEGER"}]', 1, 1, 'carol', '2026-01-01T00:00:00.000000Z');
        """;

    [Fact]
    public void Projects_get_a_storage_prefix_and_assets_keep_their_resolved_paths()
    {
        OldCatalog(3, Release3Mesh);
        using var store = SqliteCatalogStore.Open(DbPath);
        var prefixes = store.Read(r => r.Projects()).ToDictionary(p => p.Name, p => p.StoragePrefix);
        // What producer_storage provisioned inside the account, relative to it; otherwise the project's name.
        Assert.Equal("marketing", prefixes["marketing"]);
        Assert.Equal("teams/custom", prefixes["custom"]);
        Assert.Equal("consumer", prefixes["consumer"]);
        Assert.Equal("sib", prefixes["sibling"]); // an account location written with a trailing slash
        Assert.Equal("lookalike", prefixes["lookalike"]); // "/data/acct-other" is not inside "/data/acct"
        var asset = store.Read(r => r.GetAsset("consumer", "copy"))!;
        Assert.Equal("/data/acct/sales/*.parquet", asset.ResolvedPath);
        Assert.Equal("sales/*.parquet", asset.Source);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
