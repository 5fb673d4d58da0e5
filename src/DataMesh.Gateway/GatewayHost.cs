using System.Net;
using System.Runtime.InteropServices;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Demo;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Server;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Tls;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway;

/// <summary>Wires settings, users, engine and server together. Tests start it in-process on a free port.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly GovernanceService _governance;
    private readonly SqlParser _parser;

    private GatewayHost(GatewayServer server, GovernanceService governance, SqlParser parser, AdminCatalog catalog, string dataDirectory)
    {
        Server = server;
        _governance = governance;
        _parser = parser;
        Catalog = catalog;
        DataDirectory = dataDirectory;
    }

    public AdminCatalog Catalog { get; }

    /// <summary>The metrics and health endpoint, when configured.</summary>
    public Observability.MetricsEndpoint? Metrics { get; private init; }

    public GatewayServer Server { get; }
    public string DataDirectory { get; }
    public IPEndPoint EndPoint => Server.LocalEndPoint;

    public static GatewayHost Start(GatewaySettings settings, ILoggerFactory loggers, string seedDirectory)
    {
        var logger = loggers.CreateLogger("DataMesh.Gateway");
        var dataDirectory = Path.GetFullPath(settings.DataDir);
        Directory.CreateDirectory(dataDirectory);
        var catalog = AdminCatalog.Open(dataDirectory);

        if (settings.Demo) DemoSetup.Prepare(dataDirectory, seedDirectory, catalog, logger);

        // Every project gets its own locked-down DuckDB instance, built from its grants when a session first needs it.
        var parser = new SqlParser();
        var governance = new GovernanceService(catalog.Catalog, parser, new EngineDefaults
        {
            MemoryLimit = settings.MemoryLimit,
            Threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount,
            TempDirectory = Path.Combine(dataDirectory, "tmp", "engine"),
        });

        var certificate = settings.TlsCert is not null && settings.TlsKey is not null
            ? CertificateLoader.FromPem(settings.TlsCert, settings.TlsKey)
            : settings.Tls ? CertificateLoader.SelfSigned(dataDirectory) : null;

        var server = new GatewayServer(new GatewayServerOptions
        {
            Listen = IPEndPoint.Parse(settings.Listen),
            Certificate = certificate,
            CleartextPasswordOverTls = settings.CleartextPasswordOverTls,
            MaxConnections = settings.MaxConnections,
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
        }, catalog.Users, catalog.Executor, governance, loggers);
        server.Start();
        var metrics = Observability.MetricsEndpoint.Start(settings.MetricsListen, server, logger);
        return new GatewayHost(server, governance, parser, catalog, dataDirectory) { Metrics = metrics };
    }

    public async ValueTask DisposeAsync()
    {
        // The server stops first, so /health answers 503 while running statements drain.
        await Server.DisposeAsync().ConfigureAwait(false);
        if (Metrics is not null) await Metrics.DisposeAsync().ConfigureAwait(false);
        _governance.Dispose();
        _parser.Dispose();
        Catalog.Dispose();
    }
}
