using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Server.Auth;
using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Connections;
using DataMesh.Gateway.Server.Notifications;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Server;

/// <summary>
/// The listening server: accepts sockets, runs one <see cref="ClientConnection"/> per socket, enforces the
/// connection limit and shuts down gracefully (stop accepting, let queries finish until the grace period
/// ends, then cancel them with 57P01).
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly GatewayServerOptions _options;
    private readonly Authenticator _authenticator;
    private readonly GatewayServices _services;
    private readonly Governance.QueryAuditor _auditor;
    private readonly CancelRegistry _cancels = new();
    private readonly ConnectionBudget _budget;
    private readonly ServerLifetime _lifetime = new();
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ClientConnection, Task> _connections = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private int _active;

    public GatewayServer(GatewayServerOptions options, GatewayServices services, ILoggerFactory loggers)
    {
        _services = services;
        // DROP PROJECT and ALTER PROJECT … RENAME refuse (55006) while sessions are signed in to the project.
        services.Admin.Services.Sessions ??= _cancels;
        _options = options;
        _budget = new ConnectionBudget(options);
        LoginThrottle = new LoginThrottle(options.LoginThrottle, TimeProvider.System);
        _authenticator = new Authenticator(services.Users, options, LoginThrottle);
        _logger = loggers.CreateLogger("DataMesh.Gateway.Server");
        _auditor = new Governance.QueryAuditor(services.Catalog.Store, loggers.CreateLogger("DataMesh.Gateway.Audit"), Metrics);
        Notifications = new NotificationHub(services.Catalog, services.Admin.Services.Clock, NotificationPoll, loggers.CreateLogger("DataMesh.Gateway.Notifications"));
        Expiry = new DataMesh.Gateway.Admin.ExpiryWatch(services.Admin.Services, ExpiryScan);
        Embedded = new Embedded.EmbeddedStatements(options, services, _auditor, Metrics, _cancels, _lifetime, loggers.CreateLogger("DataMesh.Gateway.Portal"));
    }

    /// <summary>How often the event table is read besides after each change (events of other processes, the expiry watch).</summary>
    public static readonly TimeSpan NotificationPoll = TimeSpan.FromSeconds(2);

    /// <summary>How often approved grants are checked for an expiry within seven days.</summary>
    public static readonly TimeSpan ExpiryScan = TimeSpan.FromMinutes(10);

    /// <summary>Hands the catalog's events to the sessions that LISTEN for them.</summary>
    public NotificationHub Notifications { get; }

    /// <summary>Records an "expiring" event for grants that expire within seven days (a TimeProvider timer).</summary>
    public DataMesh.Gateway.Admin.ExpiryWatch Expiry { get; }

    /// <summary>What a consumer would see under a grant not yet approved (the portal's approval preview).</summary>
    public Governance.GrantPreview Previews => new(_services.Governance, _services.Engines, _services.Catalog, _auditor, _options);

    /// <summary>Statements of callers the portal signed in, run without a socket through the wire's own statement path.</summary>
    public Embedded.EmbeddedStatements Embedded { get; }

    public Governance.GovernanceService Governance => _services.Governance;

    /// <summary>The failed-login backoff per address.</summary>
    public LoginThrottle LoginThrottle { get; }

    public Observability.GatewayMetrics Metrics { get; } = new();

    /// <summary>True while the server accepts sessions (readiness): listening, started up and not stopping.</summary>
    public bool IsReady => _listener is not null && !_lifetime.IsStopping && !_lifetime.IsStarting;

    /// <summary>True while the port is open but sessions are refused with 57P03 until <see cref="MarkReady"/>.</summary>
    public bool IsStarting => _lifetime.IsStarting;

    /// <summary>The catalog is loaded: sessions are accepted from now on.</summary>
    public void MarkReady()
    {
        _lifetime.Started();
        _logger.LogInformation("Ready: accepting sessions");
    }

    /// <summary>How the node follows the catalog (null until the catalog is loaded and followed).</summary>
    public DataMesh.Gateway.Catalog.Following.CatalogFollower? CatalogFollower => _services.Catalog.Follower;

    /// <summary>How long open sessions are governed by the last snapshot once the catalog stopped answering.</summary>
    public TimeSpan CatalogMaxStaleness => _options.CatalogMaxStaleness;

    /// <summary>All metrics in Prometheus's text format.</summary>
    public string RenderMetrics() =>
        Metrics.Render(ActiveConnections, IsReady, _services.Governance.RewriteCacheHits, _services.Governance.RewriteCacheMisses)
        + (_services.Catalog.IsLoaded ? Observability.CatalogMetrics.Render(_services.Catalog) : "")
        + Observability.EngineMetrics.Render(_services.Engines);

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint ?? throw new InvalidOperationException("server not started"));

    /// <summary>Open sockets: signed-in sessions and connections still starting up.</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    /// <summary>Signed-in sessions, and sockets still signing in (see <see cref="ConnectionBudget"/>).</summary>
    public ConnectionBudget Connections => _budget;

    /// <param name="startingUp">Open the port now but answer 57P03 ("the gateway is starting up") until <see cref="MarkReady"/>.</param>
    public void Start(bool startingUp = false)
    {
        if (startingUp) _lifetime.BeginStarting();
        ReserveWorkerThreads(_options.MaxConnections);
        var listener = new Socket(_options.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(_options.Listen);
        listener.Listen(512);
        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener);
        _logger.LogInformation("Listening on {EndPoint} (TLS {Tls})", LocalEndPoint, _options.Certificate is not null);
    }

    /// <summary>
    /// Engine calls block the thread-pool worker that runs them (DuckDB's C API is synchronous): at most one per
    /// connection, since a connection runs one statement at a time. Past its minimum the pool adds workers slowly, and
    /// not at all while the CPU is saturated, so with the default minimum (one per core) a few long queries starved
    /// every other connection: a sign-in waited 10 s behind five running aggregates on 2 cores, and on a loaded CI
    /// machine an admin command waited two minutes. A minimum of one worker per allowed connection (plus the cores,
    /// for the server's own continuations) lets the pool start a worker at once whenever a connection needs one;
    /// workers are still only created on demand. Process-wide, so it only ever raises the minimum.
    /// </summary>
    private static void ReserveWorkerThreads(int maxConnections)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var wanted = maxConnections + Environment.ProcessorCount;
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, completionPorts);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_lifetime.IsStopping)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_lifetime.Stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_lifetime.IsStopping) return;
                _logger.LogWarning("Accept failed: {Error}", e.Message);
                continue;
            }
            Interlocked.Increment(ref _active);
            var connection = new ClientConnection(socket, _options, _authenticator, _services, _auditor, Metrics, _cancels, _lifetime,
                _budget, Notifications, _logger);
            _connections[connection] = Task.Run(async () =>
            {
                try
                {
                    await connection.RunAsync().ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _active);
                    _connections.TryRemove(connection, out _);
                }
            });
        }
    }

    /// <summary>Graceful stop: refuse new work, let running statements finish until the grace period, then cancel.</summary>
    public async Task StopAsync()
    {
        if (_listener is null) return;
        _logger.LogInformation("Shutting down: {Count} connection(s) open", ActiveConnections);
        _lifetime.BeginStop();
        _listener.Dispose();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);

        var all = Task.WhenAll(_connections.Values);
        if (await Task.WhenAny(all, Task.Delay(_options.ShutdownGracePeriod)).ConfigureAwait(false) != all)
        {
            _logger.LogWarning("Grace period over: cancelling {Count} running statement(s)", _connections.Count);
            foreach (var session in _cancels.Sessions) session.RequestCancel(CancelReasons.Shutdown);
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
        _listener = null;
        _logger.LogInformation("Shutdown complete");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _auditor.DisposeAsync().ConfigureAwait(false);
        Expiry.Dispose();
        Notifications.Dispose();
        _lifetime.Dispose();
    }
}
