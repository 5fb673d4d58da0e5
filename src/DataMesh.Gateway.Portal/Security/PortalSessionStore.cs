using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace DataMesh.Gateway.Portal.Security;

/// <summary>
/// Portal sessions live on the server: the cookie carries only a random session id (256 bits, itself inside ASP.NET's
/// authenticated encryption), so signing out ends a session everywhere at once, a stolen cookie dies with its session,
/// and every sign-in gets a new id (the old session, if any, is removed first: a session id planted in a browser
/// before sign-in is never the one that signs in). In memory only: a restart signs everyone out.
/// </summary>
public sealed class PortalSessionStore(PortalOptions options, TimeProvider clock) : ITicketStore
{
    private sealed class Entry(AuthenticationTicket ticket, DateTimeOffset now)
    {
        public AuthenticationTicket Ticket { get; set; } = ticket;
        public DateTimeOffset Created { get; } = now;
        public DateTimeOffset LastUsed { get; set; } = now;
    }

    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow();
        _sessions[id] = new Entry(ticket, now);
        if (_sessions.Count > options.MaxSessions) Prune(now);
        return Task.FromResult(id);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        if (_sessions.TryGetValue(key, out var entry)) entry.Ticket = ticket;
        return Task.CompletedTask;
    }

    /// <summary>The session's ticket, or null once it was signed out, idled out or outlived its maximum lifetime.</summary>
    public Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (!_sessions.TryGetValue(key, out var entry)) return Task.FromResult<AuthenticationTicket?>(null);
        var now = clock.GetUtcNow();
        if (Expired(entry, now))
        {
            _sessions.TryRemove(key, out _);
            return Task.FromResult<AuthenticationTicket?>(null);
        }
        entry.LastUsed = now;
        return Task.FromResult<AuthenticationTicket?>(entry.Ticket);
    }

    public Task RemoveAsync(string key)
    {
        _sessions.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <summary>Signs a user out of every session (the user was dropped, or changed their password elsewhere).</summary>
    public void RemoveUser(string user)
    {
        foreach (var (key, entry) in _sessions)
            if (entry.Ticket.Principal.Identity?.Name == user) _sessions.TryRemove(key, out _);
    }

    private bool Expired(Entry entry, DateTimeOffset now) =>
        now - entry.LastUsed >= options.IdleTimeout || now - entry.Created >= options.MaxSessionLifetime;

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _sessions)
            if (Expired(entry, now)) _sessions.TryRemove(key, out _);
        var excess = _sessions.Count - options.MaxSessions;
        if (excess <= 0) return;
        foreach (var (key, _) in _sessions.OrderBy(e => e.Value.LastUsed).Take(excess)) _sessions.TryRemove(key, out _);
    }
}
