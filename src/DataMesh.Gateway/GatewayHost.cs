using System.Net;
using System.Runtime.InteropServices;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Demo;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Server;
using DataMesh.Gateway.Tls;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway;

/// <summary>Wires settings, users, engine and server together. Tests start it in-process on a free port.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly DuckDbEngine _engine;
    private readonly SqlParser _parser;

    private GatewayHost(GatewayServer server, DuckDbEngine engine, SqlParser parser, AdminCatalog catalog, string dataDirectory)
    {
        Server = server;
        _engine = engine;
        _parser = parser;
        Catalog = catalog;
        DataDirectory = dataDirectory;
    }

    public AdminCatalog Catalog { get; }

    public GatewayServer Server { get; }
    public string DataDirectory { get; }
    public IPEndPoint EndPoint => Server.LocalEndPoint;

    public static GatewayHost Start(GatewaySettings settings, ILoggerFactory loggers, string seedDirectory)
    {
        var logger = loggers.CreateLogger("DataMesh.Gateway");
        var dataDirectory = Path.GetFullPath(settings.DataDir);
        Directory.CreateDirectory(dataDirectory);
        var catalog = AdminCatalog.Open(dataDirectory);

        IReadOnlyList<string> allowed = [];
        IReadOnlyList<string> setup = [];
        if (settings.Demo)
        {
            var demo = DemoSetup.Prepare(dataDirectory, seedDirectory, catalog, logger);
            allowed = demo.AllowedDirectories;
            setup = demo.SetupStatements;
        }

        var parser = new SqlParser();
        var engine = DuckDbEngine.Open(new EngineOptions
        {
            AllowedDirectories = allowed,
            TempDirectory = Path.Combine(dataDirectory, "tmp", "engine"),
            MemoryLimit = settings.MemoryLimit,
            Threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount,
            SetupStatements = setup,
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
            StatementTimeout = TimeSpan.FromSeconds(settings.StatementTimeoutSeconds),
            IdleSessionTimeout = TimeSpan.FromSeconds(settings.IdleSessionTimeoutSeconds),
            AuthenticationTimeout = TimeSpan.FromSeconds(settings.AuthenticationTimeoutSeconds),
            ShutdownGracePeriod = TimeSpan.FromSeconds(settings.ShutdownGraceSeconds),
        }, engine, catalog.Users, catalog.Executor, new Server.Governance.GovernanceService(catalog.Catalog, parser.Serialize), loggers);
        server.Start();
        return new GatewayHost(server, engine, parser, catalog, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync().ConfigureAwait(false);
        _engine.Dispose();
        _parser.Dispose();
        Catalog.Dispose();
    }
}
