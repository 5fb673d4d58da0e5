using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace DataMesh.Gateway.Portal.Security;

/// <summary>
/// The live portal sessions, kept on the server. Each sign-in starts a session with a new random id (256 bits), which
/// travels inside the encrypted, authenticated session cookie; a cookie is honoured only while its session is live
/// here. So signing out ends a session everywhere at once (a copied cookie dies with it), sessions idle out and age
/// out on the server whatever the cookie says, and a session id can never be chosen or carried over by anyone: a
/// cookie planted in a browser before sign-in belongs to another session, which the sign-in ends.
/// In memory only: a restart signs everyone out.
/// </summary>
public sealed class PortalSessions(PortalOptions options, TimeProvider clock)
{
    private sealed class Entry(string user, DateTimeOffset now)
    {
        public string User { get; } = user;
        public DateTimeOffset Created { get; } = now;
        public DateTimeOffset LastUsed { get; set; } = now;
    }

    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    /// <summary>A new session for <paramref name="user"/>; its id goes into the cookie's ticket.</summary>
    public string Start(string user)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        _sessions[id] = new Entry(user, now);
        if (_sessions.Count > options.MaxSessions) Prune(now);
        return id;
    }

    /// <summary>True (and the session's idle clock restarts) while the session is live and belongs to <paramref name="user"/>.</summary>
    public bool Touch(string id, string user)
    {
        if (!_sessions.TryGetValue(id, out var entry)) return false;
        var now = clock.GetUtcNow();
        if (entry.User != user || Expired(entry, now))
        {
            _sessions.TryRemove(id, out _);
            return false;
        }
        entry.LastUsed = now;
        return true;
    }

    public void End(string id) => _sessions.TryRemove(id, out _);

    private bool Expired(Entry entry, DateTimeOffset now) =>
        now - entry.LastUsed >= options.IdleTimeout || now - entry.Created >= options.MaxSessionLifetime;

    private void Prune(DateTimeOffset now)
    {
        foreach (var (id, entry) in _sessions)
            if (Expired(entry, now)) _sessions.TryRemove(id, out _);
        var excess = _sessions.Count - options.MaxSessions;
        if (excess <= 0) return;
        foreach (var (id, _) in _sessions.OrderBy(e => e.Value.LastUsed).Take(excess)) _sessions.TryRemove(id, out _);
    }
}
