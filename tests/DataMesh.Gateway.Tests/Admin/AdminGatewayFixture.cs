using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataMesh.Gateway.Tests.Admin;

/// <summary>
/// A gateway of its own for the admin tests: they change the catalog, so they must not share the demo data
/// directory other tests rely on. One fresh data directory (demo catalog) for the whole admin collection;
/// tests stay independent by creating uniquely named objects.
/// </summary>
public sealed class AdminGatewayFixture : IAsyncLifetime
{
    public GatewayHost Host { get; private set; } = null!;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "datamesh-tests", "admin-" + Guid.NewGuid().ToString("N"));

    public int Port => Host.EndPoint.Port;

    public Task InitializeAsync()
    {
        var settings = new GatewaySettings
        {
            Listen = "127.0.0.1:0",
            DataDir = DataDirectory,
            Demo = true,
            Tls = false,
            StatementTimeoutSeconds = 0,
            MaxConnections = 64,
            ShutdownGraceSeconds = 2,
        };
        Host = GatewayHost.Start(settings, LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole()), GatewayFixture.SeedDirectory);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        foreach (var dir in AdminSql.TempDirectories.Append(DataDirectory)) TryDelete(dir);
    }

    private static void TryDelete(string dir)
    {
        try
        {
            // Symlinks made by the path-safety tests are removed as links; their targets are not followed.
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }

    public string ConnectionString(string user, string? password = null) =>
        $"Host=127.0.0.1;Port={Port};Username={user};Password={password ?? user};Database=postgres;SSL Mode=Disable;Pooling=false;Timeout=15;Command Timeout=60";

    public async Task<NpgsqlConnection> OpenAsync(string user = "carol", string? password = null)
    {
        var connection = new NpgsqlConnection(ConnectionString(user, password));
        await connection.OpenAsync();
        return connection;
    }
}

[CollectionDefinition(Name)]
public sealed class AdminCollection : ICollectionFixture<AdminGatewayFixture>
{
    public const string Name = "admin-gateway";
}
