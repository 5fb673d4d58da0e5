using System.Data;
using System.Data.Common;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store.Search;

namespace DataMesh.Gateway.Catalog.Store.Postgres;

/// <summary>
/// A catalog in PostgreSQL, shared by the nodes of a fleet. The store speaks ADO.NET only: the driver (Npgsql) is the
/// host's choice, handed in as a <see cref="DbDataSource"/> (DataMesh.Gateway.Catalog.Postgres makes one from
/// <c>--catalog</c>). Every catalog write, from any node, first locks the one <c>catalog_version</c> row
/// (<c>SELECT … FOR UPDATE</c>): writes are ordered as SQLite's <c>BEGIN IMMEDIATE</c> orders them, so two nodes
/// deciding the same request see each other's decision, ids taken from meta are unique, and the change log's positions
/// have no gaps or reorderings. Reads run in one REPEATABLE READ snapshot each (the version and the rows they read
/// agree). Audit appends lock nothing (identity ids): they never wait for a catalog write and are never lost to one.
/// A serialization failure or deadlock (40001, 40P01) re-runs the transaction from the start, with backoff.
/// </summary>
public sealed partial class PostgresCatalogStore : ICatalogStore
{
    /// <summary>
    /// The channel every committed catalog write NOTIFYs, with its change-log position as the payload (in the write's
    /// transaction: delivered on commit only); nodes LISTEN on it to catch up at once instead of at their next poll.
    /// </summary>
    public const string ChangeChannel = "datamesh_catalog_changes";

    private readonly DbDataSource _source;
    private readonly PostgresRetry _retry;
    private readonly SearchIndexFollower _search;

    private PostgresCatalogStore(DbDataSource source, TimeSpan retryBudget)
    {
        _source = source;
        _retry = new PostgresRetry(retryBudget);
        _search = new SearchIndexFollower(work => Read(r =>
        {
            work((CatalogSession)r);
            return 0;
        }));
    }

    /// <summary>Opens (creating or migrating) the catalog in the database <paramref name="source"/> connects to.</summary>
    /// <param name="ownsSource">Dispose the source with the store.</param>
    public static PostgresCatalogStore Open(DbDataSource source, TimeSpan? retryBudget = null, bool ownsSource = true)
    {
        var store = new PostgresCatalogStore(source, retryBudget ?? TimeSpan.FromSeconds(30)) { _ownsSource = ownsSource };
        store._retry.Run(() =>
        {
            store.Migrate();
            return 0;
        });
        return store;
    }

    private bool _ownsSource;

    /// <summary>Transactions re-run after a serialization failure or deadlock, since the store opened.</summary>
    public long ConflictRetries => _retry.Retries;

    public Task PrepareSearch() => _search.Prepare();

    public T Read<T>(Func<ICatalogReader, T> work) => _retry.Run(() =>
    {
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction(IsolationLevel.RepeatableRead);
        Run(connection, transaction, "SET TRANSACTION READ ONLY");
        var result = work(new PostgresCatalogSession(connection, transaction) { SearchIndexFollower = _search });
        transaction.Commit();
        return result;
    });

    public T Write<T>(Func<ICatalogWriter, T> work) => Locked((session, transaction) =>
    {
        var result = work(session);
        session.RecordChanges(); // the change log row(s) and the new version, in the same transaction
        transaction.Commit();
        return result;
    });

    public T Rehearse<T>(Func<ICatalogWriter, T> work) => Locked((session, transaction) =>
    {
        var result = work(session);
        transaction.Rollback();
        return result;
    });

    public void AdvanceWebhookCursor(string project, long lastEvent) => Locked((session, transaction) =>
    {
        session.SetWebhookCursor(project, lastEvent);
        transaction.Commit();
        return 0;
    });

    public IReadOnlyList<ChangeBatch> ChangesSince(long position, int maxBatches) => Read(r => r.ChangesSince(position, maxBatches));

    public void AppendAudit(AuditRecord record) => AppendAudit([record]);

    public void AppendAudit(IReadOnlyList<AuditRecord> records)
    {
        if (records.Count == 0) return;
        _retry.Run(() =>
        {
            using var connection = _source.OpenConnection();
            using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
            var session = new PostgresCatalogSession(connection, transaction);
            foreach (var record in records) session.AppendAudit(record);
            transaction.Commit();
            return 0;
        });
    }

    /// <summary>A transaction holding the catalog's write lock (the <c>catalog_version</c> row) from its first statement.</summary>
    private T Locked<T>(Func<PostgresCatalogSession, DbTransaction, T> work) => _retry.Run(() =>
    {
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
        Run(connection, transaction, "SELECT value FROM meta WHERE key = 'catalog_version' FOR UPDATE");
        return work(new PostgresCatalogSession(connection, transaction), transaction);
    });

    private static void Run(DbConnection connection, DbTransaction? transaction, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _search.Dispose();
        if (_ownsSource) _source.Dispose();
    }
}
