using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Tests.Catalog;

/// <summary>The embedded SQLite catalog: settings, migrations, transactions, append-only audit, search.</summary>
public sealed class SqliteCatalogStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "store-" + Guid.NewGuid().ToString("N"));
    private string DbPath => Path.Combine(_dir, "catalog.db");

    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Opens_in_wal_mode_with_all_migrations_applied()
    {
        using (SqliteCatalogStore.Open(DbPath)) { }
        using var connection = new SqliteConnection($"Data Source={DbPath};Mode=ReadOnly");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(Migrations.All.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(connection, "PRAGMA user_version"));
        Assert.Equal(64, Scalar(connection, "SELECT value FROM meta WHERE key = 'mask_secret'")!.Length);
        Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check"));
    }

    [Fact]
    public void Reopening_does_not_rerun_migrations_or_change_the_secret()
    {
        string first;
        using (var store = SqliteCatalogStore.Open(DbPath)) first = store.Read(r => r.MaskSecret);
        using var again = SqliteCatalogStore.Open(DbPath);
        Assert.Equal(first, again.Read(r => r.MaskSecret));
        Assert.Equal("datamesh", again.Read(r => r.DomainName));
    }

    [Fact]
    public void A_domain_rename_survives_reopening_and_rolls_back_with_its_transaction()
    {
        using (var store = SqliteCatalogStore.Open(DbPath))
        {
            store.Write(w =>
            {
                w.SetDomainName("Sales Mesh");
                return 0;
            });
            Assert.Throws<InvalidOperationException>(() => store.Write<int>(w =>
            {
                w.SetDomainName("half_renamed");
                throw new InvalidOperationException("crash after the rename");
            }));
        }
        using var again = SqliteCatalogStore.Open(DbPath);
        Assert.Equal("Sales Mesh", again.Read(r => r.DomainName));
    }

    [Fact]
    public void A_failing_write_leaves_nothing_behind_and_does_not_bump_the_version()
    {
        using var store = SqliteCatalogStore.Open(DbPath);
        var before = store.Read(r => r.Version);
        Assert.Throws<InvalidOperationException>(() => store.Write<int>(w =>
        {
            w.InsertUser(new UserRecord("half", null, false, "local", Now));
            w.InsertGroup("half_group", Now);
            throw new InvalidOperationException("crash in the middle of a command");
        }));
        Assert.Null(store.Read(r => r.GetUser("half")));
        Assert.Null(store.Read(r => r.GetGroup("half_group")));
        Assert.Equal(before, store.Read(r => r.Version));

        store.Write(w =>
        {
            w.InsertUser(new UserRecord("whole", null, false, "local", Now));
            return 0;
        });
        Assert.Equal(before + 1, store.Read(r => r.Version));
    }

    [Fact]
    public void Foreign_keys_are_enforced()
    {
        using var store = SqliteCatalogStore.Open(DbPath);
        var e = Assert.Throws<SqliteException>(() => store.Write(w =>
        {
            w.AddGroupMember("no_such_group", "no_such_user");
            return 0;
        }));
        Assert.Contains("FOREIGN KEY", e.Message);
    }

    [Fact]
    public void The_audit_log_is_append_only()
    {
        using (var store = SqliteCatalogStore.Open(DbPath))
        {
            store.AppendAudit(new AuditRecord(0, Now, "carol", null, null, null, "admin", "CREATE USER", "CREATE USER x PASSWORD '********'", "ok", null, null, [], [], null, null, null));
            Assert.Single(store.Read(r => r.Audit(10, null)));
        }
        using var connection = new SqliteConnection($"Data Source={DbPath}");
        connection.Open();
        foreach (var sql in new[] { "UPDATE audit_log SET outcome = 'error'", "DELETE FROM audit_log" })
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            Assert.Contains("append-only", Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery()).Message);
        }
    }

    [Fact]
    public void Snapshot_is_swapped_after_a_change_and_resolves_roles_through_groups()
    {
        using var catalog = new CatalogService(SqliteCatalogStore.Open(DbPath));
        var empty = catalog.Snapshot;
        catalog.Change(w =>
        {
            w.InsertUser(new UserRecord("owner", null, false, "local", Now));
            w.InsertUser(new UserRecord("analyst", null, false, "local", Now));
            w.InsertGroup("analysts", Now);
            w.AddGroupMember("analysts", "analyst");
            w.InsertAccount(new AccountRecord("acct", _dir, "owner", AccountStatus.Proposed, "owner", Now, null));
            w.AcceptAccount("acct", Now);
            w.InsertProfile(new ProfileRecord("p", [], null, Now));
            w.InsertProject(new ProjectRecord("proj", "acct", "p", null, new Dictionary<string, string>(), [], "owner", Now));
            w.SetMember("proj", new MemberRecord("owner", false, MemberRole.Owner));
            w.SetMember("proj", new MemberRecord("analysts", true, MemberRole.Viewer));
            w.SetMember("proj", new MemberRecord("analyst", false, MemberRole.Contributor));
            return 0;
        });
        Assert.Null(empty.Project("proj")); // the old snapshot is immutable
        var snapshot = catalog.Snapshot;
        Assert.True(snapshot.Version > empty.Version);
        Assert.Equal(MemberRole.Owner, snapshot.RoleIn("owner", "proj"));
        Assert.Equal(MemberRole.Contributor, snapshot.RoleIn("analyst", "proj")); // strongest of direct and group role
        Assert.Null(snapshot.RoleIn("nobody", "proj"));
    }

    [Fact]
    public void Fts_query_building_cannot_be_injected()
    {
        Assert.Equal("\"sales\"* OR \"revenue\"*", SqliteCatalogSession_ToFts("sales revenue"));
        Assert.Equal("\"name\"* OR \"x\"*", SqliteCatalogSession_ToFts("name:x"));
        Assert.Equal("\"NEAR\"*", SqliteCatalogSession_ToFts("\"* ( ) NEAR")); // operators become quoted words
        Assert.Equal("", SqliteCatalogSession_ToFts("\"* ( ) -"));
    }

    private static string SqliteCatalogSession_ToFts(string text) =>
        (string)typeof(SqliteCatalogStore).Assembly.GetType("DataMesh.Gateway.Catalog.Store.SqliteCatalogSession")!
            .GetMethod("ToFtsQuery", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .Invoke(null, [text])!;

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar()?.ToString();
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
