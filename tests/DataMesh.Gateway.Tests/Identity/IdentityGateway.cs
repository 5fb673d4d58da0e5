using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Identity;

/// <summary>
/// A demo gateway with TLS that trusts two test identity providers (several issuers) and a third whose keys rotate,
/// each with its own JWKS file. Local demo users (carol, alice) still sign in with SCRAM for the admin set-up.
/// </summary>
public sealed class IdentityGateway : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "datamesh-tests", "idp-" + Guid.NewGuid().ToString("N")[..8]);

    public IdentityGateway()
    {
        Primary = new TestIdentityProvider("https://idp.test.example", _directory);
        Second = new TestIdentityProvider("https://second-idp.test.example/tenant", _directory);
        Rotating = new TestIdentityProvider("https://rotating-idp.test.example", _directory);
    }

    public TestIdentityProvider Primary { get; }
    public TestIdentityProvider Second { get; }
    public TestIdentityProvider Rotating { get; }
    public GatewayHost Host { get; private set; } = null!;
    public int Port => Host.EndPoint.Port;

    public Task InitializeAsync()
    {
        Host = GatewayFixture.StartDemoHost(s =>
        {
            s.Tls = true;
            // Refusals are the point of these tests, all from 127.0.0.1: the failed-login backoff would make them wait
            // (Identity/TokenThrottleTests checks that refused tokens count).
            s.LoginFreeFailures = int.MaxValue;
            s.Identity = new IdentitySettings
            {
                ClockSkewSeconds = 5,
                Issuers = [Issuer(Primary), Issuer(Second, userNameClaim: "email"), Issuer(Rotating)],
            };
        });
        return Task.CompletedTask;
    }

    private static IssuerSettings Issuer(TestIdentityProvider idp, string userNameClaim = "preferred_username") => new()
    {
        Issuer = idp.Issuer,
        Audiences = [TestIdentityProvider.Audience],
        JwksFile = idp.JwksPath,
        UserNameClaim = userNameClaim,
    };

    /// <summary>A fresh user name: the demo catalog lives for the whole test run and just-in-time users stay in it.</summary>
    public static string NewUser(string tag) => $"{tag}_{Guid.NewGuid().ToString("N")[..8]}";

    public string TokenConnectionString(string user, string token, string database = "postgres", bool tls = true) =>
        $"Host=127.0.0.1;Port={Port};Username={user};Password={token};Database={database};Pooling=false;Timeout=15;"
        + (tls ? "SSL Mode=Require;Trust Server Certificate=true" : "SSL Mode=Disable");

    public async Task<NpgsqlConnection> OpenWithTokenAsync(string user, string token, string database = "postgres")
    {
        var connection = new NpgsqlConnection(TokenConnectionString(user, token, database));
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Connecting with the token fails: returns the server's error (asserting it never repeats the token).</summary>
    public Task<PostgresException> RefusedAsync(string user, string token, string database = "postgres", bool tls = true) =>
        RefusedAsync(TokenConnectionString(user, token, database, tls), token);

    /// <summary>Connecting fails FATAL: returns the server's error (asserting it never repeats the token).</summary>
    public static async Task<PostgresException> RefusedAsync(string connectionString, string token)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal("FATAL", e.Severity);
        Assert.DoesNotContain(token, e.MessageText + e.Detail + e.Hint, StringComparison.Ordinal);
        if (token.Split('.') is [_, var payload, _] && payload.Length > 0)
            Assert.DoesNotContain(payload, e.MessageText + e.Detail + e.Hint, StringComparison.Ordinal);
        return e;
    }

    /// <summary>An admin command as a local demo user over plaintext SCRAM.</summary>
    public async Task<List<object?[]>> AdminAsync(string user, string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={Port};Username={user};Password={user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=15");
        await connection.OpenAsync();
        return await RowsAsync(connection, sql);
    }

    public static async Task<List<object?[]>> RowsAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Primary.Dispose();
        Second.Dispose();
        Rotating.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
