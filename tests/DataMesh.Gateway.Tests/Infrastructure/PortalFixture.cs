using DataMesh.Gateway.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>
/// A real gateway with its data portal (HTTPS with the demo's self-signed certificate) on free loopback ports, on a
/// demo data directory of its own: the portal tests file requests and approve them, which other tests' demo state
/// must not see. SQL answers for comparison come from the same gateway over the wire (Npgsql).
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public GatewayHost Host { get; private set; } = null!;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "datamesh-tests", "portal-" + Guid.NewGuid().ToString("N"));

    public Uri Portal => Host.Portal!.Url;

    public Task InitializeAsync()
    {
        Host = GatewayHost.Start(Settings(DataDirectory), LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole()),
            GatewayFixture.SeedDirectory);
        return Task.CompletedTask;
    }

    public static GatewaySettings Settings(string dataDirectory, bool tls = true) => new()
    {
        Listen = "127.0.0.1:0",
        WebListen = "127.0.0.1:0",
        DataDir = dataDirectory,
        Demo = true,
        Tls = tls,
        MaxConnections = 64,
        ShutdownGraceSeconds = 2,
        // Tests sign in with wrong passwords on purpose; LoginThrottle sharing is checked on a gateway of its own.
        LoginFreeFailures = int.MaxValue,
    };

    private readonly Dictionary<string, Browser> _browsers = new(StringComparer.Ordinal);

    /// <summary>
    /// A browser signed in as <paramref name="user"/>, shared by the tests of the collection that only read pages
    /// (starting chromium costs seconds on a loaded machine); tests about sessions and cookies start their own.
    /// </summary>
    public Browser SignedIn(string user)
    {
        if (!_browsers.TryGetValue(user, out var browser))
        {
            browser = new Browser(Portal);
            _browsers[user] = browser;
            browser.SignIn(user);
        }
        return browser;
    }

    public async Task DisposeAsync()
    {
        foreach (var browser in _browsers.Values) browser.Dispose();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>What the same user gets over the wire for the same SQL: every row as text (NULL stays null).</summary>
    public async Task<List<string?[]>> SqlAsync(string user, string database, string sql)
    {
        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={Host.EndPoint.Port};Username={user};Password={user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=30;Command Timeout=120");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetProviderSpecificValue(i).ToString();
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>One column of a SQL answer, by name.</summary>
    public async Task<List<string?>> SqlColumnAsync(string user, string database, string sql, string column)
    {
        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={Host.EndPoint.Port};Username={user};Password={user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=30;Command Timeout=120");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var index = reader.GetOrdinal(column);
        var values = new List<string?>();
        while (await reader.ReadAsync()) values.Add(reader.IsDBNull(index) ? null : reader.GetValue(index).ToString());
        return values;
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}
