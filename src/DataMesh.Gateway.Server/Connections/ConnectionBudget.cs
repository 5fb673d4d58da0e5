using System.Net;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Connections;

/// <summary>
/// Who may hold a connection. Sockets that have not signed in yet share a small budget of their own
/// (<see cref="GatewayServerOptions.MaxUnauthenticatedConnections"/>): when it is full, a new socket pushes out the
/// oldest waiting one of the address that holds the most of them, so idle or slow sockets can never keep a real client
/// from signing in, and one address flooding the server only pushes out its own sockets. Only signed-in sessions count
/// against <see cref="GatewayServerOptions.MaxConnections"/>, and a user and an address may hold only so many of them
/// (FATAL 53300 past any limit, as PostgreSQL answers max_connections and a role's CONNECTION LIMIT).
/// </summary>
public sealed class ConnectionBudget(GatewayServerOptions options)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Entry> _waiting = new(); // oldest first
    private readonly Dictionary<IPAddress, int> _waitingByAddress = [];
    private readonly Dictionary<string, int> _sessionsByUser = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, int> _sessionsByAddress = [];
    private int _sessions;
    private long _evicted;

    /// <summary>Signed-in sessions now.</summary>
    public int Sessions
    {
        get
        {
            lock (_gate) return _sessions;
        }
    }

    /// <summary>Connections still starting up or authenticating now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _waiting.Count;
        }
    }

    /// <summary>Waiting connections pushed out to make room for newer ones, since the server started.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>
    /// A new socket joins the waiting budget. Pushing it out cancels <paramref name="evict"/>, which ends the
    /// connection's startup and authentication wherever they are.
    /// </summary>
    public Slot Admit(IPAddress address, CancellationTokenSource evict)
    {
        var slot = new Slot(this, address);
        Entry? victim = null;
        lock (_gate)
        {
            slot.Node = _waiting.AddLast(new Entry(address, evict, slot));
            Increment(_waitingByAddress, address);
            if (_waiting.Count > Math.Max(1, options.MaxUnauthenticatedConnections)) victim = PickVictim();
            if (victim is not null)
            {
                RemoveWaiting(victim.Slot);
                victim.Slot.Evicted = true;
            }
        }
        if (victim is not null)
        {
            Interlocked.Increment(ref _evicted);
            try
            {
                victim.Evict.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // that connection just ended by itself
            }
        }
        return slot;
    }

    /// <summary>The oldest waiting socket of the address holding the most waiting sockets (the globally oldest among equals).</summary>
    private Entry PickVictim()
    {
        var heaviest = _waitingByAddress.MaxBy(p => p.Value).Value;
        foreach (var waiting in _waiting)
            if (_waitingByAddress[waiting.Address] == heaviest) return waiting;
        return _waiting.First!.Value;
    }

    /// <summary>
    /// The connection signed in as <paramref name="user"/>: it leaves the waiting budget and takes a session slot, or
    /// is refused with FATAL 53300 when the server, the user or the address already holds as many sessions as allowed.
    /// </summary>
    public void SignIn(Slot slot, string user)
    {
        lock (_gate)
        {
            if (slot.Evicted) throw new OperationCanceledException("pushed out of the waiting budget");
            if (_sessions >= options.MaxConnections)
                throw PgErrorException.Fatal(SqlState.TooManyConnections, "sorry, too many clients already");
            if (options.MaxSessionsPerUser > 0 && _sessionsByUser.GetValueOrDefault(user) >= options.MaxSessionsPerUser)
                throw PgErrorException.Fatal(SqlState.TooManyConnections, $"too many connections for role \"{user}\"",
                    $"A user may hold {options.MaxSessionsPerUser} sessions at once (MaxSessionsPerUser).");
            if (options.MaxSessionsPerAddress > 0 && _sessionsByAddress.GetValueOrDefault(slot.Address) >= options.MaxSessionsPerAddress)
                throw PgErrorException.Fatal(SqlState.TooManyConnections, $"too many connections from host \"{slot.Address}\"",
                    $"One address may hold {options.MaxSessionsPerAddress} sessions at once (MaxSessionsPerAddress).");
            RemoveWaiting(slot);
            _sessions++;
            Increment(_sessionsByUser, user);
            Increment(_sessionsByAddress, slot.Address);
            slot.User = user;
        }
    }

    private void Release(Slot slot)
    {
        lock (_gate)
        {
            if (slot.Node is not null)
            {
                RemoveWaiting(slot);
                return;
            }
            if (slot.User is not { } user) return;
            _sessions--;
            Decrement(_sessionsByUser, user);
            Decrement(_sessionsByAddress, slot.Address);
            slot.User = null;
        }
    }

    private void RemoveWaiting(Slot slot)
    {
        if (slot.Node is not { } node) return;
        _waiting.Remove(node);
        slot.Node = null;
        Decrement(_waitingByAddress, slot.Address);
    }

    private static void Increment<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private static void Decrement<TKey>(Dictionary<TKey, int> counts, TKey key) where TKey : notnull
    {
        if (!counts.TryGetValue(key, out var n)) return;
        if (n <= 1) counts.Remove(key);
        else counts[key] = n - 1;
    }

    internal sealed record Entry(IPAddress Address, CancellationTokenSource Evict, Slot Slot);

    /// <summary>One connection's place: waiting until it signs in, then a session; disposing it frees the place.</summary>
    public sealed class Slot(ConnectionBudget budget, IPAddress address) : IDisposable
    {
        internal IPAddress Address { get; } = address;
        internal LinkedListNode<Entry>? Node { get; set; }
        internal string? User { get; set; }

        /// <summary>Pushed out of the waiting budget by a newer socket.</summary>
        public bool Evicted { get; internal set; }

        public void Dispose() => budget.Release(this);
    }
}
