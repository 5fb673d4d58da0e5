using DataMesh.Gateway.Catalog.Model;
using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// The embedded catalog: <c>&lt;data-dir&gt;/catalog.db</c>, WAL mode, foreign keys on, busy timeout, migrations at
/// startup. Writes are serialised in-process and run in <c>BEGIN IMMEDIATE</c> transactions, so two gateways (or
/// two sessions) deciding the same request are ordered by SQLite and exactly one of them sees it pending.
/// A busy or locked database is retried with backoff (<see cref="SqliteRetry"/>); a full disk or an I/O error
/// rolls the transaction back and surfaces as a <see cref="CatalogStoreException"/>.
/// </summary>
public sealed partial class SqliteCatalogStore : ICatalogStore
{
    private readonly string _connectionString;
    private readonly object _writeGate = new();
    private readonly SqliteRetry _retry;

    /// <summary>
    /// At most this many read transactions at once. The connection pool keeps every connection it ever opened, so
    /// without a bound it grows to the highest concurrency ever seen (the 1-hour soak: +26 file descriptors, two per
    /// idle connection); reads take milliseconds, WAL lets them run beside the writer, and 2 cores gain nothing past a
    /// handful. A read nested in a read on the same thread does not wait (it would deadlock at the bound).
    /// </summary>
    public const int MaxConcurrentReads = 4;

    private readonly SemaphoreSlim _readers = new(MaxConcurrentReads, MaxConcurrentReads);

    [ThreadStatic]
    private static int t_readDepth;

    private SqliteCatalogStore(string connectionString, TimeSpan busyBudget)
    {
        _connectionString = connectionString;
        _retry = new SqliteRetry(busyBudget);
        _search = new Search.SearchIndexFollower(work => Read(r =>
        {
            work((CatalogSession)r);
            return 0;
        }));
    }

    /// <summary>SEARCH CATALOG's in-memory corpus, shared by every read of this store.</summary>
    private readonly Search.SearchIndexFollower _search;

    /// <summary>Builds the search corpus in the background (the first search would otherwise start it and ask FTS5).</summary>
    public Task PrepareSearch() => _search.Prepare();

    /// <summary>Searches the in-memory corpus answered, searches FTS5 answered, and full builds of the corpus.</summary>
    public (long Ranked, long FellBack, long Builds) SearchCounters => (_search.Ranked, _search.FellBack, _search.Builds);

    /// <summary>Attempts that met a busy or locked catalog and were retried.</summary>
    public long BusyRetries => _retry.Retries;

    /// <param name="busyBudget">How long a transaction keeps retrying a locked catalog before it fails (default 30 s).</param>
    public static SqliteCatalogStore Open(string path, TimeSpan? busyBudget = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite waits this long on a busy statement by itself; SqliteRetry owns longer waits.
            DefaultTimeout = 1,
        }.ToString();
        var store = new SqliteCatalogStore(cs, busyBudget ?? TimeSpan.FromSeconds(30));
        store._retry.Run(() =>
        {
            store.Migrate();
            return 0;
        });
        return store;
    }

    public T Read<T>(Func<ICatalogReader, T> work)
    {
        var outermost = t_readDepth == 0;
        if (outermost) _readers.Wait();
        t_readDepth++;
        try
        {
            return _retry.Run(() =>
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction(deferred: true);
                return work(new SqliteCatalogSession(connection, transaction) { SearchIndexFollower = _search });
            });
        }
        finally
        {
            t_readDepth--;
            if (outermost) _readers.Release();
        }
    }

    /// <summary>
    /// One write transaction. A retry after busy re-runs <paramref name="work"/> from the start on a fresh
    /// transaction: the failed attempt was rolled back whole, so work sees the state it would have seen.
    /// </summary>
    public T Write<T>(Func<ICatalogWriter, T> work)
    {
        lock (_writeGate)
        {
            return _retry.Run(() =>
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: take the write lock now
                var session = new SqliteCatalogSession(connection, transaction);
                var result = work(session);
                session.RecordChanges(); // the change log row(s) and the new version, in the same transaction
                transaction.Commit();
                return result;
            });
        }
    }

    public T Rehearse<T>(Func<ICatalogWriter, T> work)
    {
        lock (_writeGate)
        {
            return _retry.Run(() =>
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction(deferred: false);
                var result = work(new SqliteCatalogSession(connection, transaction));
                transaction.Rollback();
                return result;
            });
        }
    }

    public void AdvanceWebhookCursor(string project, long lastEvent)
    {
        lock (_writeGate)
        {
            _retry.Run(() =>
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction(deferred: false);
                new SqliteCatalogSession(connection, transaction).SetWebhookCursor(project, lastEvent);
                transaction.Commit();
                return 0;
            });
        }
    }

    public IReadOnlyList<ChangeBatch> ChangesSince(long position, int maxBatches) => Read(r => r.ChangesSince(position, maxBatches));

    public void AppendAudit(AuditRecord record) => AppendAudit([record]);

    public void AppendAudit(IReadOnlyList<AuditRecord> records)
    {
        if (records.Count == 0) return;
        lock (_writeGate)
        {
            _retry.Run(() =>
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction(deferred: false);
                var session = new SqliteCatalogSession(connection, transaction);
                foreach (var record in records) session.AppendAudit(record);
                transaction.Commit();
                return 0;
            });
        }
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        // A short busy_timeout: SQLite's own handler only covers brief contention; longer waits are SqliteRetry's.
        pragmas.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 100; PRAGMA synchronous = FULL;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    private void Migrate()
    {
        using var connection = OpenConnection();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
        while (true)
        {
            // The version is read under the write lock: two hosts opening one new catalog at once (tests do) must not
            // both run the same migration.
            using var transaction = connection.BeginTransaction(deferred: false);
            var version = UserVersion(connection, transaction);
            if (version >= Migrations.All.Count) return;
            using var cmd = connection.CreateCommand();
            cmd.Transaction = transaction;
            cmd.CommandText = Migrations.All[version].Sqlite + $"\nPRAGMA user_version = {version + 1};";
            cmd.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private static int UserVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _search.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
