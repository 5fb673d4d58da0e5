using System.Net;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Server;
using DataMesh.Gateway.Server.Engines;
using DataMesh.Gateway.Server.Governance;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// Start-up opens the port at once and answers every session with 57P03 ("the gateway is starting up") until the
/// catalog is loaded, before authentication: nothing of the catalog is read (it is not even loaded) while clients
/// knock. The same server then serves sessions once marked ready.
/// </summary>
public sealed class StartingUpTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "starting-up-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Sessions_get_57P03_until_the_catalog_is_loaded_then_they_are_served()
    {
        using (var seed = AdminCatalog.Open(_dataDir)) seed.SetUser("erin", "erin-secret", domainAdmin: false);

        using var catalog = AdminCatalog.Open(_dataDir, load: false);
        using var parser = new SqlParser();
        var governance = new GovernanceService(catalog.Catalog, parser);
        using var engines = new SessionEngines(catalog.Catalog, governance, new EngineDefaults { TempDirectory = Path.Combine(_dataDir, "tmp") });
        await using var server = new GatewayServer(new GatewayServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) },
            new GatewayServices(catalog.Users, catalog.Catalog, catalog.Metadata, catalog.Executor, governance, engines), NullLoggerFactory.Instance);
        server.Start(startingUp: true);
        var connectionString = $"Host=127.0.0.1;Port={server.LocalEndPoint.Port};Username=erin;Password=erin-secret;Database=postgres;SSL Mode=Disable;Pooling=false;Timeout=15";

        Assert.False(server.IsReady);
        foreach (var (user, password) in new[] { ("erin", "erin-secret"), ("erin", "wrong"), ("nobody", "x") })
        {
            await using var early = new NpgsqlConnection(connectionString.Replace("Username=erin;Password=erin-secret", $"Username={user};Password={password}", StringComparison.Ordinal));
            var refused = await Assert.ThrowsAsync<PostgresException>(() => early.OpenAsync());
            Assert.Equal("57P03", refused.SqlState);
            Assert.Equal("the gateway is starting up", refused.MessageText);
        }
        Assert.False(catalog.Catalog.IsLoaded); // refused before anything read the catalog

        catalog.Catalog.Load();
        server.MarkReady();
        Assert.True(server.IsReady);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 40 + 2", connection);
        Assert.Equal(42, await cmd.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
