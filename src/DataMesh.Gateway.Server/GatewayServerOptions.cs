using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace DataMesh.Gateway.Server;

/// <summary>Listener, limits and timeouts of the wire server.</summary>
public sealed class GatewayServerOptions
{
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 5433);

    /// <summary>Server certificate for TLS; null means SSLRequest is answered 'N'.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Over TLS only: ask for a cleartext password instead of SCRAM (used for identity tokens later).</summary>
    public bool CleartextPasswordOverTls { get; init; }

    /// <summary>Identity tokens (OIDC JWTs) accepted over TLS for users without a local password; null: off.</summary>
    public Authentication.Tokens.TokenValidator? Tokens { get; init; }

    /// <summary>
    /// Open SQL cursors (DECLARE) per session at once (54000 past it): each holds an engine connection of its own, so
    /// that other statements between its FETCHes do not end its result.
    /// </summary>
    public int MaxCursorsPerSession { get; init; } = 16;

    /// <summary>Signed-in sessions at once (53300 past it). Sockets still signing in do not count: see below.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>
    /// Sockets that have not signed in yet, at once: when full, a new socket pushes out the oldest waiting one of the
    /// address holding the most (so idle sockets cannot lock real clients out).
    /// </summary>
    public int MaxUnauthenticatedConnections { get; init; } = 64;

    /// <summary>Sessions one user may hold at once (53300 past it); zero: no limit but <see cref="MaxConnections"/>.</summary>
    public int MaxSessionsPerUser { get; init; } = 64;

    /// <summary>Sessions one client address may hold at once (53300 past it); zero: no limit but <see cref="MaxConnections"/>.</summary>
    public int MaxSessionsPerAddress { get; init; } = 128;

    /// <summary>How long a new socket may take to send its startup packet (TLS handshake included).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest frontend message accepted after startup (startup packets are capped at 10,000 bytes).</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Largest DataRow the server sends: a longer row is 54000 and the session goes on (PostgreSQL's own
    /// ceiling is 1 GB per field; clients buffer a whole row, so a hostile or mistaken query must not make them).</summary>
    public int MaxResultRowBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Output is flushed at Sync, at Flush, or when this many bytes are pending.</summary>
    public int WriteBatchBytes { get; init; } = 64 * 1024;

    /// <summary>How long startup and authentication may take in all, from the moment the socket was accepted.</summary>
    public TimeSpan AuthenticationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Backoff for repeated failed logins from one address.</summary>
    public Auth.LoginThrottleOptions LoginThrottle { get; init; } = new();

    /// <summary>Sessions idle (outside a transaction) longer than this are closed; zero disables it.</summary>
    public TimeSpan IdleSessionTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Default statement timeout; zero disables it. Sessions may change it with SET statement_timeout.</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How often a session's socket is checked for a client that left (PostgreSQL's client_connection_check_interval);
    /// its running statement is then interrupted. Zero disables the check.
    /// </summary>
    public TimeSpan ClientConnectionCheckInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The clock of the server's timers.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>How long running queries may go on after shutdown starts before they are cancelled.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// While a shared catalog does not answer, open sessions go on under the node's last snapshot for at most this long
    /// since its last answer; their next statement after that is FATAL 57P03 (new sessions are refused at once).
    /// </summary>
    public TimeSpan CatalogMaxStaleness { get; init; } = TimeSpan.FromSeconds(30);
}
