using System.Collections.Concurrent;
using System.Net;

namespace DataMesh.Gateway.Server.Auth;

/// <summary>When failed logins from one address start being slowed down, and by how much.</summary>
public sealed record LoginThrottleOptions
{
    /// <summary>Failures from one address that cost nothing (typos); each one after that doubles the delay.</summary>
    public int FreeFailures { get; init; } = 3;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The delay never grows past this; keep it well under the authentication timeout.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An address with no failure for this long starts afresh.</summary>
    public TimeSpan ForgetAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Addresses tracked at most; past it the stalest are forgotten first.</summary>
    public int MaxTrackedAddresses { get; init; } = 10_000;
}

/// <summary>
/// Slows down password guessing: every failed login from an address makes the next attempt from it wait longer
/// before its authentication starts (exponential backoff up to a ceiling), and a successful login from the address
/// clears it. Per address rather than per user, so spraying one password over many user names is slowed too; the
/// price is that clients behind one NAT share a budget (their successful logins reset it).
/// The delay is a decision (<see cref="DelayFor"/>) kept apart from the waiting, so tests check it without clocks.
/// </summary>
public sealed class LoginThrottle(LoginThrottleOptions options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<IPAddress, Entry> _failures = new();
    private long _delayedAttempts;

    private sealed record Entry(int Failures, DateTimeOffset Last);

    /// <summary>Attempts that had to wait (a counter for tests and operators).</summary>
    public long DelayedAttempts => Interlocked.Read(ref _delayedAttempts);

    public int TrackedAddresses => _failures.Count;

    /// <summary>How long the next attempt from <paramref name="address"/> waits before authentication starts.</summary>
    public TimeSpan DelayFor(IPAddress address)
    {
        if (!_failures.TryGetValue(Normalize(address), out var entry)) return TimeSpan.Zero;
        if (clock.GetUtcNow() - entry.Last >= options.ForgetAfter) return TimeSpan.Zero;
        var over = entry.Failures - options.FreeFailures;
        if (over <= 0) return TimeSpan.Zero;
        var ticks = options.BaseDelay.Ticks * Math.Pow(2, Math.Min(over - 1, 30));
        return ticks >= options.MaxDelay.Ticks ? options.MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Waits out the address's delay (cancelled with the authentication timeout).</summary>
    public async Task WaitAsync(IPAddress address, CancellationToken ct)
    {
        var delay = DelayFor(address);
        if (delay <= TimeSpan.Zero) return;
        Interlocked.Increment(ref _delayedAttempts);
        await Task.Delay(delay, clock, ct).ConfigureAwait(false);
    }

    public void Failed(IPAddress address)
    {
        var now = clock.GetUtcNow();
        _failures.AddOrUpdate(Normalize(address), _ => new Entry(1, now),
            (_, e) => now - e.Last >= options.ForgetAfter ? new Entry(1, now) : new Entry(e.Failures + 1, now));
        if (_failures.Count > options.MaxTrackedAddresses) Prune(now);
    }

    public void Succeeded(IPAddress address) => _failures.TryRemove(Normalize(address), out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _failures)
            if (now - entry.Last >= options.ForgetAfter) _failures.TryRemove(address, out _);
        var excess = _failures.Count - options.MaxTrackedAddresses;
        if (excess <= 0) return;
        foreach (var (address, _) in _failures.OrderBy(e => e.Value.Last).Take(excess + options.MaxTrackedAddresses / 10))
            _failures.TryRemove(address, out _);
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
