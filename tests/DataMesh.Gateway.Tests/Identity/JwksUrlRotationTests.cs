using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace DataMesh.Gateway.Tests.Identity;

/// <summary>
/// A gateway whose identity provider publishes its keys at a loopback JWKS URL, with a one-second minimum refresh
/// interval (30 s in production: a test cannot wait that long) and a session grace period of five seconds.
/// </summary>
public sealed class JwksUrlGateway : IAsyncLifetime
{
    public const double GraceSeconds = 5;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "datamesh-tests", "jwks-url-" + Guid.NewGuid().ToString("N")[..8]);

    public JwksUrlGateway()
    {
        Idp = new TestIdentityProvider("https://url-idp.test.example", _directory);
        Jwks = new LoopbackJwksServer(Idp.JwksPath);
    }

    public TestIdentityProvider Idp { get; }
    public LoopbackJwksServer Jwks { get; }
    public GatewayHost Host { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Host = GatewayFixture.StartDemoHost(s =>
        {
            s.Tls = true;
            s.LoginFreeFailures = int.MaxValue; // refusals are the point here (Identity/TokenThrottleTests covers the throttle)
            s.Identity = new IdentitySettings
            {
                ClockSkewSeconds = 0,
                SessionGraceSeconds = GraceSeconds,
                Issuers =
                [
                    new IssuerSettings
                    {
                        Issuer = Idp.Issuer, Audiences = [TestIdentityProvider.Audience], JwksUrl = Jwks.Url,
                        JwksCacheSeconds = 600, JwksMinimumRefreshSeconds = 1,
                    },
                ],
            };
        });
        return Task.CompletedTask;
    }

    public string ConnectionString(string user, string token) =>
        $"Host=127.0.0.1;Port={Host.EndPoint.Port};Username={user};Password={token};Database=postgres;Pooling=false;Timeout=15;SSL Mode=Require;Trust Server Certificate=true";

    public async Task<NpgsqlConnection> OpenAsync(string user, string token)
    {
        var connection = new NpgsqlConnection(ConnectionString(user, token));
        await connection.OpenAsync();
        return connection;
    }

    public Task<PostgresException> RefusedAsync(string user, string token) => IdentityGateway.RefusedAsync(ConnectionString(user, token), token);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Jwks.DisposeAsync();
        Idp.Dispose();
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

/// <summary>
/// Keys rotated at the identity provider's JWKS URL are picked up without a restart (an unknown kid refetches the
/// URL, rate-limited), and a token session outlives its token's exp by exactly the configured grace period.
/// The two tests share one gateway and one key set, so they run one after the other (xunit runs a class's tests
/// serially).
/// </summary>
public sealed class JwksUrlRotationTests(JwksUrlGateway gateway) : IClassFixture<JwksUrlGateway>
{
    [Fact]
    public async Task A_key_rotated_at_the_jwks_url_is_accepted_and_the_retired_key_is_refused()
    {
        var idp = gateway.Idp;
        var user = IdentityGateway.NewUser("urlrot");
        await using (var before = await gateway.OpenAsync(user, idp.Mint(user)))
            Assert.Equal(user, (await IdentityGateway.RowsAsync(before, "SELECT current_user"))[0][0]);
        var fetchedBefore = gateway.Jwks.Requests;
        Assert.True(fetchedBefore >= 1);

        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var rotated = new RsaSecurityKey(rsa) { KeyId = "url-rotated-" + Guid.NewGuid().ToString("N")[..6] };
        var newToken = idp.Mint(idp.Claims(user), SecurityAlgorithms.RsaSha256, rotated);

        // Not yet published: refused as an unknown signing key, whether or not the gateway refetched.
        var unpublished = await gateway.RefusedAsync(user, newToken);
        Assert.Equal("28P01", unpublished.SqlState);
        Assert.Contains("signing key", unpublished.MessageText);

        // The provider rotates: the new RSA key in, the old one out. Past the minimum refresh interval, the unknown kid
        // makes the gateway fetch the URL again, and the new token signs in without a restart.
        idp.WriteJwks(rotated, idp.Ec);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            await using (var after = await gateway.OpenAsync(user, newToken))
                Assert.Equal(user, (await IdentityGateway.RowsAsync(after, "SELECT current_user"))[0][0]);
            Assert.True(gateway.Jwks.Requests > fetchedBefore, "the unknown kid did not refetch the JWKS URL");

            // The retired key is gone from the refetched set: a token it signs is refused.
            var retired = await gateway.RefusedAsync(user, idp.Mint(user));
            Assert.Equal("28P01", retired.SqlState);
            Assert.Contains("signing key", retired.MessageText);
        }
        finally
        {
            await RestoreProviderKeysAsync();
        }
    }

    /// <summary>
    /// Puts the provider's usual keys back and waits until the gateway has refetched them (the other tests sign with
    /// them), so no test depends on which ran first.
    /// </summary>
    private async Task RestoreProviderKeysAsync()
    {
        var idp = gateway.Idp;
        idp.WriteJwks(idp.Rsa, idp.Ec);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while (true)
        {
            var user = IdentityGateway.NewUser("restore");
            try
            {
                await using var connection = await gateway.OpenAsync(user, idp.Mint(user));
                return;
            }
            catch (PostgresException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(300);
            }
        }
    }

    [Fact]
    public async Task Made_up_key_ids_refetch_the_jwks_url_at_most_once_per_refresh_interval()
    {
        var user = IdentityGateway.NewUser("flood");
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var started = DateTimeOffset.UtcNow;
        var fetchedBefore = gateway.Jwks.Requests;
        const int attempts = 12;
        for (var i = 0; i < attempts; i++)
        {
            var bogus = new RsaSecurityKey(rsa) { KeyId = $"made-up-{i}-{Guid.NewGuid():N}" };
            var e = await gateway.RefusedAsync(user, gateway.Idp.Mint(gateway.Idp.Claims(user), SecurityAlgorithms.RsaSha256, bogus));
            Assert.Equal("28P01", e.SqlState);
        }
        var elapsed = (DateTimeOffset.UtcNow - started).TotalSeconds;
        var fetches = gateway.Jwks.Requests - fetchedBefore;
        // One fetch per started second of the run at most (the interval is 1 s here), however many made-up kids came.
        Assert.True(fetches <= Math.Ceiling(elapsed) + 1, $"{fetches} JWKS fetches for {attempts} made-up kids in {elapsed:F1}s");
        Assert.True(fetches < attempts || elapsed > attempts, $"every made-up kid fetched the JWKS URL ({fetches} in {elapsed:F1}s)");
    }

    [Fact]
    public async Task A_token_session_keeps_working_inside_the_grace_period_and_ends_after_it()
    {
        var user = IdentityGateway.NewUser("grace");
        var claims = gateway.Idp.Claims(user);
        // exp far enough ahead that a sign-in on loaded shared cores still happens before it (the clock skew is 0).
        var exp = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddSeconds(6).ToUnixTimeSeconds());
        claims["exp"] = exp.ToUnixTimeSeconds();
        await using var connection = await gateway.OpenAsync(user, gateway.Idp.Mint(claims));

        // Past exp (no timing assertion: waiting on this clock), but well inside the 5 s grace: statements still run.
        while (DateTimeOffset.UtcNow < exp.AddMilliseconds(500)) await Task.Delay(100);
        Assert.Equal(user, (await IdentityGateway.RowsAsync(connection, "SELECT current_user"))[0][0]);

        // Past exp plus the grace: the next statement is FATAL and names both times.
        var end = exp.AddSeconds(JwksUrlGateway.GraceSeconds);
        while (DateTimeOffset.UtcNow < end.AddMilliseconds(500)) await Task.Delay(200);
        var e = await Assert.ThrowsAsync<PostgresException>(() => IdentityGateway.RowsAsync(connection, "SELECT 1"));
        Assert.Equal("FATAL", e.Severity);
        Assert.Equal("28000", e.SqlState);
        Assert.Contains($"identity token expired at {exp:yyyy-MM-dd HH:mm:ss} UTC", e.MessageText);
        Assert.Contains($"grace period ended at {end:yyyy-MM-dd HH:mm:ss} UTC", e.MessageText);
        Assert.Contains("fresh identity token", e.Hint);
        Assert.NotEqual(System.Data.ConnectionState.Open, connection.State);
    }
}
