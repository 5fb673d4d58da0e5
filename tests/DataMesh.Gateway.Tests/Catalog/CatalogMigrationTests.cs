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
        foreach (var migration in Migrations.All.Take(version)) Execute(connection, migration.Sqlite);
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

    private const string Release3Grants = Release3Mesh + """
        INSERT INTO asset_revisions VALUES (1, 1, '[{"name":"a","type":"INTEGER"},{"name":"b","type":"VARCHAR"},{"name":"email","type":"VARCHAR"}]', NULL, 'carol', '2026-02-01T00:00:00.000000Z');
        INSERT INTO asset_revisions VALUES (1, 2, '[{"name":"a","type":"INTEGER"},{"name":"b","type":"VARCHAR"},{"name":"email","type":"VARCHAR"},{"name":"phone","type":"VARCHAR"}]', NULL, 'carol', '2026-04-01T00:00:00.000000Z');
        UPDATE assets SET latest_revision = 2, schema = '[{"name":"a","type":"INTEGER"},{"name":"b","type":"VARCHAR"},{"name":"email","type":"VARCHAR"},{"name":"phone","type":"VARCHAR"}]' WHERE id = 1;
        INSERT INTO subscriptions (id, asset_id, consumer_project, justification, status, requested_by, requested_at, decided_by, decided_at, include_columns, exclude_columns)
            VALUES (1, 1, 'marketing', 'j', 'approved', 'carol', '2026-03-01T00:00:00.000000Z', 'carol', '2026-03-02T00:00:00.000000Z', NULL, '["email"]');
        INSERT INTO subscriptions (id, asset_id, consumer_project, justification, status, requested_by, requested_at, decided_by, decided_at, include_columns, exclude_columns)
            VALUES (2, 1, 'custom', 'j', 'approved', 'carol', '2026-05-01T00:00:00.000000Z', 'carol', '2026-05-02T00:00:00.000000Z', NULL, '["email"]');
        INSERT INTO subscriptions (id, asset_id, consumer_project, justification, status, requested_by, requested_at, decided_by, decided_at, include_columns, exclude_columns)
            VALUES (3, 1, 'sibling', 'j', 'approved', 'carol', '2026-01-01T00:00:00.000000Z', 'carol', '2026-01-02T00:00:00.000000Z', NULL, NULL);
        INSERT INTO subscriptions (id, asset_id, consumer_project, justification, status, requested_by, requested_at, decided_by, decided_at, include_columns, exclude_columns)
            VALUES (4, 1, 'lookalike', 'j', 'revoked', 'carol', '2026-03-01T00:00:00.000000Z', 'carol', '2026-03-03T00:00:00.000000Z', '["a","b"]', NULL);
        INSERT INTO subscriptions (id, asset_id, consumer_project, justification, status, requested_by, requested_at)
            VALUES (5, 1, 'consumer', 'j', 'pending', 'carol', '2026-03-01T00:00:00.000000Z');
        """;

    [Fact]
    public void Existing_grants_pin_the_columns_of_the_revision_they_were_approved_against()
    {
        OldCatalog(3, Release3Grants);
        using var store = SqliteCatalogStore.Open(DbPath);
        var grants = store.Read(r => r.Subscriptions()).ToDictionary(x => x.Id);
        // Approved between revisions 1 and 2: revision 1's columns minus the excluded one, so "phone" stays hidden.
        Assert.Equal(["a", "b"], grants[1].ApprovedColumns);
        Assert.Equal(1, grants[1].ApprovedRevision);
        Assert.False(grants[1].Shows("phone"));
        Assert.True(grants[1].Withholds("phone"));
        // Approved after revision 2: it had "phone" when it was approved.
        Assert.Equal(["a", "b", "phone"], grants[2].ApprovedColumns);
        Assert.Equal(2, grants[2].ApprovedRevision);
        // Approved before any revision we know of: the asset's current columns, and no revision recorded.
        Assert.Equal(["a", "b", "email", "phone"], grants[3].ApprovedColumns);
        Assert.Null(grants[3].ApprovedRevision);
        // Revoked grants keep their pin (a re-approval makes a new one); include lists stay as they were.
        Assert.Equal(["a", "b"], grants[4].ApprovedColumns);
        Assert.Null(grants[5].ApprovedColumns); // pending: nothing approved yet
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
