using System.Net;
using System.Runtime.InteropServices;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Admin.Webhooks;
using DataMesh.Gateway.Authentication.Tokens;
using DataMesh.Gateway.Cli;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Catalog.Postgres;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Demo;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Server;
using DataMesh.Gateway.Server.Engines;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Tls;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway;

/// <summary>Wires settings, users, engine and server together. Tests start it in-process on a free port.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly SessionEngines _engines;
    private readonly SqlParser _parser;

    private GatewayHost(GatewayServer server, SessionEngines engines, SqlParser parser, AdminCatalog catalog, string dataDirectory)
    {
        Server = server;
        _engines = engines;
        _parser = parser;
        Catalog = catalog;
        DataDirectory = dataDirectory;
    }

    /// <summary>Completes when sessions are accepted (the catalog loaded, the demo prepared); faults when start-up failed.</summary>
    public Task Ready { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Starts a gateway and waits until it accepts sessions (tests and tools that connect at once). Start-up failures
    /// are thrown here.
    /// </summary>
    public static GatewayHost Start(GatewaySettings settings, ILoggerFactory loggers, string seedDirectory)
    {
        var host = Launch(settings, loggers, seedDirectory);
        try
        {
            host.Ready.GetAwaiter().GetResult();
        }
        catch
        {
            host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        return host;
    }

    public AdminCatalog Catalog { get; }

    /// <summary>The data portal, when configured (<c>--web-listen</c>).</summary>
    public global::DataMesh.Gateway.Portal.PortalHost? Portal { get; private init; }

    /// <summary>The metrics and health endpoint, when configured.</summary>
    public Observability.MetricsEndpoint? Metrics { get; private init; }

    public GatewayServer Server { get; }
    public string DataDirectory { get; }
    public IPEndPoint EndPoint => Server.LocalEndPoint;

    /// <summary>
    /// Opens the port at once and loads the catalog in the background: until <see cref="Ready"/>, sessions are answered
    /// with 57P03 ("the gateway is starting up"), so clients and load balancers see a live port that is not serving
    /// yet instead of a refused connection. Users, projects and memberships are loaded before ready; each project's
    /// assets and grants on first use, and all of them in the background afterwards (<c>CatalogPreload</c>).
    /// </summary>
    public static GatewayHost Launch(GatewaySettings settings, ILoggerFactory loggers, string seedDirectory)
    {
        var logger = loggers.CreateLogger("DataMesh.Gateway");
        var dataDirectory = Path.GetFullPath(settings.DataDir);
        Directory.CreateDirectory(dataDirectory);
        var catalog = AdminCatalog.Open(dataDirectory, OpenCatalogStore(settings, dataDirectory), settings.Storage.ToOptions(dataDirectory), load: false);

        // Every project gets its own locked-down DuckDB instance, built from its grants when a session first needs it.
        var parser = new SqlParser();
        var governance = new GovernanceService(catalog.Catalog, parser, objects: new ObjectReads(catalog.Catalog, catalog.Storage));
        var engines = new SessionEngines(catalog.Catalog, governance, new EngineDefaults
        {
            MemoryLimit = settings.MemoryLimit,
            Threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount,
            TempDirectory = Path.Combine(dataDirectory, "tmp", "engine"),
        });

        var certificate = settings.TlsCert is not null && settings.TlsKey is not null
            ? CertificateLoader.FromPem(settings.TlsCert, settings.TlsKey)
            : settings.Tls ? CertificateLoader.SelfSigned(dataDirectory) : null;

        var tokens = Tokens(settings, dataDirectory);
        var server = new GatewayServer(new GatewayServerOptions
        {
            Listen = IPEndPoint.Parse(settings.Listen),
            Certificate = certificate,
            CleartextPasswordOverTls = settings.CleartextPasswordOverTls,
            Tokens = tokens,
            MaxConnections = settings.MaxConnections,
            MaxUnauthenticatedConnections = settings.MaxUnauthenticatedConnections,
            MaxSessionsPerUser = settings.MaxSessionsPerUser,
            MaxSessionsPerAddress = settings.MaxSessionsPerAddress,
            MaxCursorsPerSession = settings.MaxCursorsPerSession,
            StartupTimeout = TimeSpan.FromSeconds(settings.StartupTimeoutSeconds),
            MaxMessageBytes = settings.MaxMessageBytes,
            MaxResultRowBytes = settings.MaxResultRowBytes,
            StatementTimeout = TimeSpan.FromSeconds(settings.StatementTimeoutSeconds),
            IdleSessionTimeout = TimeSpan.FromSeconds(settings.IdleSessionTimeoutSeconds),
            AuthenticationTimeout = TimeSpan.FromSeconds(settings.AuthenticationTimeoutSeconds),
            LoginThrottle = new Server.Auth.LoginThrottleOptions
            {
                FreeFailures = settings.LoginFreeFailures,
                BaseDelay = TimeSpan.FromSeconds(settings.LoginBaseDelaySeconds),
                MaxDelay = TimeSpan.FromSeconds(settings.LoginMaxDelaySeconds),
            },
            ShutdownGracePeriod = TimeSpan.FromSeconds(settings.ShutdownGraceSeconds),
            CatalogMaxStaleness = TimeSpan.FromSeconds(settings.CatalogMaxStalenessSeconds),
        }, new GatewayServices(catalog.Users, catalog.Catalog, catalog.Metadata, catalog.Executor, governance, engines), loggers);
        Observability.MetricsEndpoint? metrics = null;
        global::DataMesh.Gateway.Portal.PortalHost? portal;
        try
        {
            ListenAddressInUseException.Guard("the PostgreSQL wire protocol", settings.Listen, () =>
            {
                server.Start(startingUp: true);
                return true;
            });
            metrics = ListenAddressInUseException.Guard("metrics and health", settings.MetricsListen ?? "",
                () => Observability.MetricsEndpoint.Start(settings.MetricsListen, server, logger));
            portal = ListenAddressInUseException.Guard("the data portal", settings.WebListen ?? "",
                () => StartPortal(settings, dataDirectory, certificate, server, catalog, tokens, loggers));
        }
        catch
        {
            // Nothing may keep running when the gateway as configured cannot start (an address in use, or plain HTTP
            // on a public address).
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            metrics?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            engines.Dispose();
            parser.Dispose();
            catalog.Dispose();
            throw;
        }
        var webhookOptions = settings.Webhooks.ToOptions();
        catalog.Executor.Services.AllowHttpWebhooks = webhookOptions.AllowHttp;
        catalog.Executor.Services.AllowPrivateWebhookTargets = webhookOptions.AllowPrivateTargets;
        var host = new GatewayHost(server, engines, parser, catalog, dataDirectory) { Metrics = metrics, Portal = portal };
        host.Ready = Task.Run(() =>
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            catalog.Catalog.Load();
            if (settings.Demo) DemoSetup.Prepare(dataDirectory, seedDirectory, catalog, logger);
            if (settings.CatalogFollowSeconds > 0)
                catalog.Catalog.StartFollowing(TimeSpan.FromSeconds(settings.CatalogFollowSeconds), settings.CatalogListen ? CatalogLocation.ChangeFeed(settings.Catalog) : null,
                    CatalogLocation.IsPostgres(settings.Catalog), TimeProvider.System,
                    warning => logger.LogWarning("{Warning}", warning), notice => logger.LogInformation("{Notice}", notice),
                    TimeSpan.FromSeconds(settings.CatalogListenRetrySeconds));
            host.Webhooks = new WebhookDispatcher(catalog.Catalog, webhookOptions, TimeProvider.System,
                warning => logger.LogWarning("{Warning}", warning));
            server.MarkReady();
            logger.LogInformation("Catalog loaded in {Ms} ms ({Projects} projects)", started.ElapsedMilliseconds, catalog.Catalog.Snapshot.Projects.Count());
            if (settings.CatalogPreload) host._preload = catalog.Catalog.PreloadAsync();
        });
        return host;
    }

    private static global::DataMesh.Gateway.Portal.PortalHost? StartPortal(GatewaySettings settings, string dataDirectory, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate,
        GatewayServer server, AdminCatalog catalog, TokenValidator? tokens, ILoggerFactory loggers)
    {
        if (string.IsNullOrWhiteSpace(settings.WebListen)) return null;
        var options = new global::DataMesh.Gateway.Portal.PortalOptions
        {
            Listen = IPEndPoint.Parse(settings.WebListen),
            Certificate = certificate,
            IdleTimeout = TimeSpan.FromMinutes(settings.PortalIdleMinutes),
            MaxSessionLifetime = TimeSpan.FromHours(settings.PortalSessionHours),
            MaxDownloadRows = settings.PortalMaxDownloadRows,
            ExportDirectory = Path.Combine(dataDirectory, "tmp", "portal-exports"),
        };
        var services = new global::DataMesh.Gateway.Portal.PortalServices { Server = server, Admin = catalog.Executor, Users = catalog.Users, Tokens = tokens };
        return global::DataMesh.Gateway.Portal.PortalHost.StartAsync(options, services, loggers).GetAwaiter().GetResult();
    }

    /// <summary>Delivers events to project webhooks (made once the catalog is loaded).</summary>
    public WebhookDispatcher? Webhooks { get; private set; }

    private Task? _preload;

    /// <summary>The background load of every project's partition (null when not started).</summary>
    public Task? Preload => _preload;

    /// <summary>
    /// The catalog <c>--catalog</c> names (the data directory's SQLite file without it). With <c>--demo</c> and a shared
    /// PostgreSQL catalog, the first node seeds it under a fleet-wide lock and the others serve it (DemoSetup).
    /// </summary>
    internal static ICatalogStore OpenCatalogStore(GatewaySettings settings, string dataDirectory) =>
        CatalogLocation.Open(settings.Catalog, AdminCatalog.CatalogPath(dataDirectory));

    /// <summary>The configured identity providers, plus the demo's own with <c>--demo</c>; null when none is trusted.</summary>
    private static TokenValidator? Tokens(GatewaySettings settings, string dataDirectory)
    {
        var issuers = settings.Identity.Issuers.Select(i => new TrustedIssuer
        {
            Issuer = i.Issuer,
            Audiences = i.Audiences,
            JwksFile = i.JwksFile,
            JwksUrl = i.JwksUrl,
            JwksCacheDuration = TimeSpan.FromSeconds(i.JwksCacheSeconds),
            JwksMinimumRefresh = TimeSpan.FromSeconds(i.JwksMinimumRefreshSeconds),
            UserNameClaim = i.UserNameClaim,
            GroupsClaim = i.GroupsClaim,
            GroupMap = i.GroupMap,
            HmacSecret = i.HmacSecret,
        }).ToList();
        if (issuers.Any(i => string.IsNullOrEmpty(i.Issuer) || i.Audiences.Count == 0 || string.IsNullOrEmpty(i.JwksFile) == string.IsNullOrEmpty(i.JwksUrl) && i.HmacSecret is null))
            throw new ArgumentException("every Identity:Issuers entry needs Issuer, Audiences and one of JwksFile or JwksUrl");
        if (settings.Demo && issuers.All(i => i.Issuer != DemoIdentity.Issuer)) issuers.Add(DemoIdentity.TrustedIssuer(dataDirectory));
        if (issuers.Count == 0) return null;
        return new TokenValidator(new TokenOptions
        {
            Issuers = issuers,
            ClockSkew = TimeSpan.FromSeconds(settings.Identity.ClockSkewSeconds),
            SessionGrace = TimeSpan.FromSeconds(settings.Identity.SessionGraceSeconds),
            SaslOAuthBearer = settings.Identity.SaslOAuthBearer,
        });
    }

    public async ValueTask DisposeAsync()
    {
        // The portal stops taking requests first; then the server, so /health answers 503 while running statements drain.
        if (Portal is not null) await Portal.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
        if (Webhooks is not null) await Webhooks.DisposeAsync().ConfigureAwait(false);
        if (Metrics is not null) await Metrics.DisposeAsync().ConfigureAwait(false);
        _engines.Dispose();
        _parser.Dispose();
        Catalog.Dispose();
    }
}
