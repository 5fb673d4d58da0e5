namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// Runs one catalog transaction, again after a pause while the store reports a transient conflict (<see cref="IsTransient"/>:
/// a lock held elsewhere, a serialization failure): the attempt was rolled back whole, so a re-run sees the state it
/// would have seen. Pauses grow exponentially with jitter up to a maximum, within a total budget; an error the store
/// classifies (<see cref="Fault"/>) becomes a <see cref="CatalogStoreException"/> at once, never retried (a full disk
/// does not empty itself, and retrying an unreachable server would only hide it from the caller). Each store says
/// which of its errors are which; the loop is this one.
/// </summary>
public abstract class CatalogRetry(TimeSpan budget, TimeSpan firstPause, TimeSpan maxPause)
{
    private long _retries;

    /// <summary>How many attempts met a transient conflict and were retried, since the store opened.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Whether <paramref name="e"/> is a conflict that a later attempt may not meet.</summary>
    protected abstract bool IsTransient(Exception e);

    /// <summary>The store exception <paramref name="e"/> stands for, or null to let it propagate as it is.</summary>
    protected abstract CatalogStoreException? Fault(Exception e);

    /// <summary>What the caller is told when conflicts outlasted the budget.</summary>
    protected abstract string Exhausted(TimeSpan elapsed);

    public T Run<T>(Func<T> attempt)
    {
        var started = Environment.TickCount64;
        var pause = firstPause;
        while (true)
        {
            try
            {
                return attempt();
            }
            catch (Exception e) when (IsTransient(e))
            {
                var elapsed = TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
                if (elapsed + pause > budget)
                    throw new CatalogStoreException(CatalogFault.Busy, Exhausted(elapsed), e);
                Interlocked.Increment(ref _retries);
                Thread.Sleep(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(pause.TotalMilliseconds / 2) + 1)));
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, maxPause.Ticks));
            }
            catch (Exception e) when (Fault(e) is { } fault)
            {
                throw fault;
            }
        }
    }
}
