using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Catalog.Store.Postgres;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DataMesh.Gateway.Tests.Catalog.Contract;

/// <summary>The store contract on the embedded SQLite catalog (a second store: a second process on the same file).</summary>
public sealed class SqliteStoreContractTests : CatalogStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "contract-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<ICatalogStore, string> _paths = [];

    protected override ICatalogStore OpenStore()
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db");
        var store = SqliteCatalogStore.Open(path);
        _paths[store] = path;
        return store;
    }

    protected override ICatalogStore OpenSecond(ICatalogStore first) => SqliteCatalogStore.Open(_paths[first]);

    private protected override void TamperWithAudit(ICatalogStore store)
    {
        using var connection = new SqliteConnection($"Data Source={_paths[store]};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE audit_log SET user_name = 'nobody'";
        cmd.ExecuteNonQuery();
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

/// <summary>The store contract on PostgreSQL (a second store: another node's, with its own connection pool).</summary>
public sealed class PostgresStoreContractTests(PostgresCatalogServer server) : CatalogStoreContract, IClassFixture<PostgresCatalogServer>
{
    private readonly Dictionary<ICatalogStore, string> _databases = [];

    protected override ICatalogStore OpenStore()
    {
        var database = server.NewDatabase();
        var store = server.OpenStore(database);
        _databases[store] = database;
        return store;
    }

    protected override ICatalogStore OpenSecond(ICatalogStore first) => server.OpenStore(_databases[first]);

    private protected override void TamperWithAudit(ICatalogStore store)
    {
        using var connection = new NpgsqlConnection(_databases[store]);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE audit_log SET user_name = 'nobody'";
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public void The_probe_that_tampers_with_the_audit_would_succeed_on_an_ordinary_table()
    {
        // The append-only assertion means something only if the same statement works where no trigger stops it.
        using var store = OpenStore();
        using var connection = new NpgsqlConnection(_databases[store]);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO meta VALUES ('probe', 'x'); UPDATE meta SET value = 'nobody' WHERE key = 'probe'";
        Assert.Equal(2, cmd.ExecuteNonQuery());
        Assert.IsType<PostgresCatalogStore>(store);
    }
}
