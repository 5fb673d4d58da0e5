using System.Net;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>
/// How the portal is served: plain HTTP only on loopback and then without Secure cookies or token sign-in, refused
/// on a public address without a certificate, and one failed-login budget per address shared with the wire.
/// </summary>
public sealed class PortalHostingTests
{
    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "datamesh-tests", "portal-host-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Without_a_certificate_the_portal_is_http_on_loopback_without_token_sign_in()
    {
        var directory = NewDirectory();
        await using var host = GatewayHost.Start(PortalFixture.Settings(directory, tls: false), NullLoggerFactory.Instance, GatewayFixture.SeedDirectory);
        Assert.Equal("http", host.Portal!.Url.Scheme);
        using var client = new PortalClient(host.Portal.Url);
        var login = await (await client.GetAsync("/login")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("token-form", login);
        var token = await client.PostFromPageAsync("/login", "/login?handler=Token", ("token", "eyJhbGciOi.x.y"));
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Contains("Identity tokens are accepted only over HTTPS", await token.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("bob")).StatusCode);
        var session = Assert.Single(client.Cookies.GetAllCookies(), c => c.Name == "datamesh-session");
        Assert.False(session.Secure);
        Assert.True(session.HttpOnly);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/search")).StatusCode);
    }

    [Fact]
    public void Plain_http_on_a_public_address_is_refused_and_nothing_keeps_running()
    {
        var settings = PortalFixture.Settings(NewDirectory(), tls: false);
        settings.WebListen = "0.0.0.0:0";
        var e = Assert.Throws<ArgumentException>(() => GatewayHost.Start(settings, NullLoggerFactory.Instance, GatewayFixture.SeedDirectory));
        Assert.Contains("would send passwords and session cookies in the clear", e.Message);
        Assert.Contains("--tls", e.Message);
    }

    [Fact]
    public async Task Failed_sign_ins_through_the_portal_and_the_wire_share_one_budget_per_address()
    {
        var settings = PortalFixture.Settings(NewDirectory());
        settings.LoginFreeFailures = 1;
        settings.LoginBaseDelaySeconds = 0.05;
        settings.LoginMaxDelaySeconds = 0.2;
        await using var host = GatewayHost.Start(settings, NullLoggerFactory.Instance, GatewayFixture.SeedDirectory);
        var throttle = host.Server.LoginThrottle;
        using var client = new PortalClient(host.Portal!.Url);

        // Two wrong passwords in the portal: the wire's next attempt from this address waits.
        await client.SignInAsync("bob", "wrong");
        await client.SignInAsync("bob", "wrong");
        Assert.True(throttle.DelayFor(IPAddress.Loopback) > TimeSpan.Zero);
        var before = throttle.DelayedAttempts;
        await using (var ok = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username=bob;Password=bob;Database=ml_research;SSL Mode=Disable;Pooling=false"))
            await ok.OpenAsync();
        Assert.Equal(before + 1, throttle.DelayedAttempts);
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(IPAddress.Loopback)); // a success clears the address, for both doors

        // Two wrong passwords on the wire: the portal's next attempt waits.
        for (var i = 0; i < 2; i++)
        {
            await using var bad = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username=bob;Password=wrong;Database=ml_research;SSL Mode=Disable;Pooling=false");
            await Assert.ThrowsAsync<PostgresException>(() => bad.OpenAsync());
        }
        before = throttle.DelayedAttempts;
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("bob")).StatusCode);
        Assert.Equal(before + 1, throttle.DelayedAttempts);
    }
}
