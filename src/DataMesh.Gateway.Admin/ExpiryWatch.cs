using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Records an "expiring" event once for every approved grant whose expiry falls within the next seven days (once per
/// expiry time: a grant whose expiry an owner moved is warned about again). A timer of the gateway's TimeProvider runs it,
/// so tests move time instead of waiting; a scan that finds nothing writes nothing.
/// </summary>
public sealed class ExpiryWatch : IDisposable
{
    public static readonly TimeSpan Warning = TimeSpan.FromDays(7);

    private readonly AdminServices _services;
    private readonly ITimer _timer;
    private int _running;

    public ExpiryWatch(AdminServices services, TimeSpan interval)
    {
        _services = services;
        _timer = services.Clock.CreateTimer(_ => Tick(), null, TimeSpan.Zero, interval);
    }

    /// <summary>Grants warned about by the last scans (for the tests and the log).</summary>
    public long Warned => Interlocked.Read(ref _warned);

    private long _warned;

    private void Tick()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1) return;
        try
        {
            Scan();
        }
        catch (Catalog.Store.CatalogStoreException)
        {
            // A busy or full catalog: the next tick tries again.
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>One scan: the grants expiring within the warning period that were not warned about for this expiry yet.</summary>
    public int Scan()
    {
        var now = _services.Clock.GetUtcNow();
        bool Due(SubscriptionRecord s) => s.StatusAt(now) == SubscriptionStatus.Approved && s.ExpiresAt is { } e && e - now <= Warning;
        // Snapshots hold only what sessions need; the store has every grant (a full read each interval: see docs).
        var due = _services.Catalog.Store.Read(r => r.Subscriptions()).Where(Due).ToList();
        if (due.Count == 0) return 0;
        var warned = _services.Catalog.Change(w =>
        {
            var count = 0;
            foreach (var s in due)
            {
                var current = w.GetSubscription(s.Id);
                if (current is null || !Due(current)) continue;
                var detail = "expires at " + Commands.Format.Time(current.ExpiresAt!.Value);
                if (w.HasEvent(current.Id, EventKinds.Expiring, detail)) continue;
                w.AppendEvent(new EventRecord(0, now, EventKinds.Expiring, current.Id, $"{current.AssetProject}.{current.AssetName}", current.ConsumerProject,
                    current.AssetProject, "datamesh", detail));
                count++;
            }
            return count;
        });
        Interlocked.Add(ref _warned, warned);
        return warned;
    }

    public void Dispose() => _timer.Dispose();
}
