using Microsoft.Data.Sqlite;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// Runs one catalog transaction, again after a pause when SQLite reports the database busy or locked (another
/// process, a backup tool or a second gateway holding the write lock). The pauses grow exponentially with jitter up
/// to <see cref="MaxPause"/>, within a total budget; every other SQLite error becomes a
/// <see cref="CatalogStoreException"/> of its class at once, never retried (a full disk does not empty itself).
/// </summary>
public sealed class SqliteRetry(TimeSpan budget)
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteIoErr = 10;
    private const int SqliteFull = 13;

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(1);
    private long _retries;

    /// <summary>How many attempts met a busy or locked database and were retried, since the store opened.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public T Run<T>(Func<T> attempt)
    {
        var started = Environment.TickCount64;
        var pause = FirstPause;
        while (true)
        {
            try
            {
                return attempt();
            }
            catch (SqliteException e) when (IsBusy(e))
            {
                var elapsed = TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                if (elapsed + pause > budget)
                    throw new CatalogStoreException(CatalogFault.Busy, $"the catalog stayed locked by another connection for {elapsed.TotalSeconds:0.#} s", e);
                Interlocked.Increment(ref _retries);
                Thread.Sleep(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(pause.TotalMilliseconds / 2) + 1)));
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
            catch (SqliteException e) when (Classify(e) is { } fault)
            {
                throw new CatalogStoreException(fault, fault == CatalogFault.Full
                    ? "the catalog's disk is full"
                    : "the catalog file could not be read or written", e);
            }
        }
    }

    private static bool IsBusy(SqliteException e) => (e.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked;

    private static CatalogFault? Classify(SqliteException e) => (e.SqliteErrorCode & 0xFF) switch
    {
        SqliteFull => CatalogFault.Full,
        SqliteIoErr => CatalogFault.Io,
        _ => null,
    };
}
