using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// <see cref="CatalogRetry"/> for SQLite: a busy or locked database (another process, a backup tool or a second
/// gateway holding the write lock) is retried; a full disk and an I/O error become store faults at once.
/// </summary>
public sealed class SqliteRetry(TimeSpan budget) : CatalogRetry(budget, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1))
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoErr = 10;
    private const int SqliteFull = 13;

    protected override bool IsTransient(Exception e) => e is SqliteException s && (s.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked;

    protected override CatalogStoreException? Fault(Exception e) => e is SqliteException s
        ? (s.SqliteErrorCode & 0xFF) switch
        {
            SqliteFull => new CatalogStoreException(CatalogFault.Full, "the catalog's disk is full", e),
            SqliteIoErr => new CatalogStoreException(CatalogFault.Io, "the catalog file could not be read or written", e),
            _ => null,
        }
        : null;

    protected override string Exhausted(TimeSpan elapsed) =>
        $"the catalog stayed locked by another connection for {elapsed.TotalSeconds:0.#} s";
}
