using System.Collections.Concurrent;
using DataMesh.Gateway.Protocol.Messages.Backend;

namespace DataMesh.Gateway.Server.Notifications;

/// <summary>
/// One session's LISTEN state: the channels it listens on and the notifications waiting to be sent. The hub fills it
/// from any thread and wakes the session's message loop; the loop writes the waiting notifications whenever the session
/// is between transaction blocks (as PostgreSQL delivers them: never inside a block, at the latest at its end).
/// </summary>
public sealed class NotificationInbox(Admin.AdminCaller caller, int processId)
{
    /// <summary>At most this many notifications wait; past it the oldest are dropped (a client that never reads).</summary>
    public const int Capacity = 10_000;

    private readonly HashSet<string> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Channel, string Payload)> _pending = new();
    private int _count;

    public Admin.AdminCaller Caller { get; } = caller;

    public int ProcessId { get; } = processId;

    private readonly SemaphoreSlim _signal = new(0, 1);
    private Task? _waiting;

    /// <summary>
    /// Completes when notifications were queued since the last call that completed: the message loop waits for it
    /// beside the client's next message. The same task is handed out until it completes, so no signal is lost.
    /// </summary>
    public Task Signalled() => _waiting is { IsCompleted: false } pending ? pending : _waiting = _signal.WaitAsync();

    /// <summary>Called by the hub after it queued notifications.</summary>
    public void Signal()
    {
        if (_signal.CurrentCount > 0) return;
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Signalled already.
        }
    }

    public bool Listens(string channel)
    {
        lock (_channels) return _channels.Contains(channel);
    }

    public IReadOnlyList<string> Channels
    {
        get
        {
            lock (_channels) return [.. _channels];
        }
    }

    public void Listen(string channel)
    {
        lock (_channels) _channels.Add(channel);
    }

    /// <summary>UNLISTEN channel, or every channel (null: UNLISTEN *, DISCARD ALL).</summary>
    public void Unlisten(string? channel)
    {
        lock (_channels)
        {
            if (channel is null) _channels.Clear();
            else _channels.Remove(channel);
        }
    }

    public bool HasPending => Volatile.Read(ref _count) > 0;

    public void Enqueue(string channel, string payload)
    {
        _pending.Enqueue((channel, payload));
        if (Interlocked.Increment(ref _count) > Capacity && _pending.TryDequeue(out _)) Interlocked.Decrement(ref _count);
    }

    /// <summary>Writes every waiting notification (still listened to) as NotificationResponse; true when it wrote any.</summary>
    public bool WriteTo(BackendWriter writer)
    {
        var wrote = false;
        while (_pending.TryDequeue(out var n))
        {
            Interlocked.Decrement(ref _count);
            if (!Listens(n.Channel)) continue; // UNLISTENed after it was queued: PostgreSQL drops it too
            writer.NotificationResponse(ProcessId, n.Channel, n.Payload);
            wrote = true;
        }
        return wrote;
    }
}
