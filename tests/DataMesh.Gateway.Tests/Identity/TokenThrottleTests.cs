using System.Net;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Identity;

/// <summary>
/// A refused identity token is a failed login like a wrong password: it slows the next attempts from the address
/// (LoginThrottle), and a good token clears it. Its own gateway, so the shared ones keep the throttle off.
/// </summary>
public sealed class TokenThrottleTests
{
    [Fact]
    public async Task Refused_tokens_slow_the_address_down_and_a_good_token_clears_it()
    {
        var idp = new TestIdentityProvider("https://throttle-idp.test.example",
            Path.Combine(Path.GetTempPath(), "datamesh-tests", "idp-throttle-" + Guid.NewGuid().ToString("N")[..8]));
        await using var host = GatewayFixture.StartDemoHost(s =>
        {
            s.Tls = true;
            s.LoginFreeFailures = 1;
            s.LoginBaseDelaySeconds = 0.05;
            s.LoginMaxDelaySeconds = 0.2;
            s.Identity = new IdentitySettings
            {
                Issuers = [new IssuerSettings { Issuer = idp.Issuer, Audiences = [TestIdentityProvider.Audience], JwksFile = idp.JwksPath }],
            };
        });
        var throttle = host.Server.LoginThrottle;
        string Cs(string user, string token) =>
            $"Host=127.0.0.1;Port={host.EndPoint.Port};Username={user};Password={token};Database=postgres;Pooling=false;Timeout=15;SSL Mode=Require;Trust Server Certificate=true";

        var user = "throttled_" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 3; i++)
        {
            await using var bad = new NpgsqlConnection(Cs(user, idp.Unsigned(idp.Claims(user))));
            var e = await Assert.ThrowsAsync<PostgresException>(() => bad.OpenAsync());
            Assert.Equal("28P01", e.SqlState);
        }
        Assert.True(throttle.DelayFor(IPAddress.Loopback) > TimeSpan.Zero, "refused tokens did not count as failed logins");
        Assert.True(throttle.DelayedAttempts >= 1);

        await using var good = new NpgsqlConnection(Cs(user, idp.Mint(user)));
        await good.OpenAsync();
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(IPAddress.Loopback));
    }
}
