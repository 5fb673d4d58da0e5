using System.Collections.Concurrent;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Server.Notifications;

/// <summary>
/// Follows the catalog's event table and hands each new event to the listening sessions it concerns
/// (<see cref="EventAudience"/>, decided with the catalog as it is now). It looks after every change this process
/// commits and every <c>poll</c> interval (events written by another gateway on the same catalog, the expiry watch), on
/// one worker at a time, so commands never wait for it.
/// </summary>
public sealed class NotificationHub : IDisposable
{
    private readonly CatalogService _catalog;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<NotificationInbox, byte> _inboxes = new();
    private readonly ITimer _timer;
    private long _last;
    private int _state; // 0 idle, 1 running, 2 running and asked again

    public NotificationHub(CatalogService catalog, TimeProvider time, TimeSpan poll, ILogger logger)
    {
        _catalog = catalog;
        _logger = logger;
        _last = catalog.Store.Read(r => r.LastEventId);
        catalog.Changed += Signal;
        _timer = time.CreateTimer(_ => Signal(), null, poll, poll);
    }

    /// <summary>Events handed to inboxes so far (tests and metrics).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    private long _delivered;

    public void Register(NotificationInbox inbox) => _inboxes[inbox] = 0;

    public void Unregister(NotificationInbox inbox) => _inboxes.TryRemove(inbox, out _);

    /// <summary>Asks for a look at the event table; returns at once.</summary>
    public void Signal()
    {
        if (Interlocked.Exchange(ref _state, 2) != 0) return; // a run is going on and will look again
        _ = Task.Run(Run);
    }

    private void Run()
    {
        while (true)
        {
            Volatile.Write(ref _state, 1);
            try
            {
                Dispatch();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _logger.LogWarning("Notifications could not be read from the catalog: {Error}", e.Message);
            }
            if (Interlocked.CompareExchange(ref _state, 0, 1) == 1) return;
        }
    }

    private void Dispatch()
    {
        while (true)
        {
            if (_inboxes.IsEmpty)
            {
                // Nobody listens: skip what happened meanwhile (LISTEN delivers only what happens after it).
                _last = _catalog.Store.Read(r => r.LastEventId);
                return;
            }
            var events = _catalog.Store.Read(r => r.Events(new EventQuery(500) { AfterId = _last }));
            if (events.Count == 0) return;
            var snapshot = _catalog.Snapshot;
            foreach (var inbox in _inboxes.Keys)
            {
                var queued = false;
                foreach (var e in events)
                {
                    foreach (var channel in EventAudience.Channels)
                    {
                        if (!inbox.Listens(channel) || !EventAudience.Concerns(snapshot, inbox.Caller, e, channel)) continue;
                        inbox.Enqueue(channel, EventAudience.Payload(e));
                        queued = true;
                        Interlocked.Increment(ref _delivered);
                    }
                }
                if (queued) inbox.Signal();
            }
            _last = events[^1].Id;
        }
    }

    public void Dispose()
    {
        _catalog.Changed -= Signal;
        _timer.Dispose();
    }
}
