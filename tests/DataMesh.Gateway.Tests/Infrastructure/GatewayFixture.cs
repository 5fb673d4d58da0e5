using System.Net;
using DataMesh.Gateway.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>
/// A real gateway listening on a free loopback port, with the demo data directory and TLS (self-signed).
/// Shared by the integration tests of one collection; each test opens its own client connections.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public GatewayHost Host { get; private set; } = null!;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "datamesh-tests", Guid.NewGuid().ToString("N"));

    public IPEndPoint EndPoint => Host.EndPoint;
    public int Port => EndPoint.Port;

    public Task InitializeAsync()
    {
        var settings = new GatewaySettings
        {
            Listen = "127.0.0.1:0",
            DataDir = SharedDemoDirectory(),
            Demo = true,
            Tls = true,
            StatementTimeoutSeconds = 0,
            MaxConnections = 64,
            MaxMessageBytes = 1024 * 1024,
            ShutdownGraceSeconds = 2,
            // Every test of the collection logs in from 127.0.0.1, some with wrong passwords on purpose (twenty in a row
            // in one test): the failed-login backoff would make unrelated tests wait. Reliability/LoginThrottleTests
            // checks the throttle on gateways of its own.
            LoginFreeFailures = int.MaxValue,
        };
        Host = GatewayHost.Start(settings, LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole()), SeedDirectory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Demo data takes a few seconds to generate: every fixture of a test run shares one data directory.</summary>
    public static string SharedDemoDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "demo-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A gateway of its own on the shared demo data directory, for tests that change its settings.</summary>
    public static GatewayHost StartDemoHost(Action<GatewaySettings> configure)
    {
        var settings = new GatewaySettings { Listen = "127.0.0.1:0", DataDir = SharedDemoDirectory(), Demo = true };
        configure(settings);
        return GatewayHost.Start(settings, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, SeedDirectory);
    }

    public static string SeedDirectory => Path.Combine(AppContext.BaseDirectory, "catalog-seed");

    public string ConnectionString(string user = "alice", string? password = null, string database = "marketing", string extra = "") =>
        $"Host=127.0.0.1;Port={Port};Username={user};Password={password ?? user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=15;Command Timeout=60{(extra.Length > 0 ? ";" + extra : "")}";

    public async Task<NpgsqlConnection> OpenAsync(string user = "alice", string extra = "")
    {
        var connection = new NpgsqlConnection(ConnectionString(user, extra: extra));
        await connection.OpenAsync();
        return connection;
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
