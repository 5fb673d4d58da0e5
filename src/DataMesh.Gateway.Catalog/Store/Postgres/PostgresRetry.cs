using System.Data.Common;

namespace DataMesh.Gateway.Catalog.Store.Postgres;

/// <summary>
/// Runs one PostgreSQL catalog transaction, again after a pause when the server aborted it as a serialization failure
/// (40001) or a deadlock victim (40P01): the attempt was rolled back whole, so a re-run sees the state it would have
/// seen. Pauses grow exponentially with jitter within a budget. Any other database error becomes a
/// <see cref="CatalogStoreException"/> at once (an unreachable server, a full disk: retrying here would only hide it
/// from the caller, which fails the statement and keeps the session).
/// </summary>
internal sealed class PostgresRetry(TimeSpan budget)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(500);
    private long _retries;

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
            catch (DbException e) when (e.SqlState is "40001" or "40P01")
            {
                var elapsed = TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                if (elapsed + pause > budget)
                    throw new CatalogStoreException(CatalogFault.Busy, $"catalog transactions kept conflicting for {elapsed.TotalSeconds:0.#} s", e);
                Interlocked.Increment(ref _retries);
                Thread.Sleep(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(pause.TotalMilliseconds / 2) + 1)));
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
            }
            catch (DbException e) when (e.SqlState is { Length: 5 } state && state.StartsWith("53", StringComparison.Ordinal))
            {
                throw new CatalogStoreException(CatalogFault.Full, "the catalog database is out of disk or memory", e);
            }
            catch (DbException e) when (e.SqlState is null || e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.SqlState.StartsWith("57", StringComparison.Ordinal))
            {
                throw new CatalogStoreException(CatalogFault.Io, "the catalog database could not be reached", e);
            }
        }
    }
}
