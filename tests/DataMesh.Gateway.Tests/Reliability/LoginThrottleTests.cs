using System.Net;
using DataMesh.Gateway.Server.Auth;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Repeated failed logins from one address are slowed down. The delay is checked as the throttle's decision and its
/// counter of delayed attempts, never by measuring wall-clock time.
/// </summary>
public sealed class LoginThrottleTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.20");

    private static readonly LoginThrottleOptions Options = new()
    {
        FreeFailures = 2, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8), ForgetAfter = TimeSpan.FromMinutes(10),
    };

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void The_delay_doubles_per_failure_after_the_free_ones_up_to_the_ceiling()
    {
        var throttle = new LoginThrottle(Options, new ManualClock());
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 7; i++)
        {
            delays.Add(throttle.DelayFor(A));
            throttle.Failed(A);
        }
        Assert.Equal(new[] { 0, 0, 0, 1, 2, 4, 8 }.Select(s => TimeSpan.FromSeconds(s)), delays);
        throttle.Failed(A);
        Assert.Equal(TimeSpan.FromSeconds(8), throttle.DelayFor(A)); // capped
    }

    [Fact]
    public void Addresses_are_throttled_independently_and_a_success_clears_one()
    {
        var throttle = new LoginThrottle(Options, new ManualClock());
        for (var i = 0; i < 4; i++) throttle.Failed(A);
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.DelayFor(A));
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(B));
        // IPv4 seen as IPv4-mapped IPv6 (dual-stack listener) is the same address.
        Assert.Equal(TimeSpan.FromSeconds(2), throttle.DelayFor(A.MapToIPv6()));
        throttle.Succeeded(A);
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(A));
    }

    [Fact]
    public void Failures_are_forgotten_after_a_quiet_period()
    {
        var clock = new ManualClock();
        var throttle = new LoginThrottle(Options, clock);
        for (var i = 0; i < 5; i++) throttle.Failed(A);
        Assert.True(throttle.DelayFor(A) > TimeSpan.Zero);
        clock.Now += TimeSpan.FromMinutes(11);
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(A));
        throttle.Failed(A); // counts from one again
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(A));
    }

    [Fact]
    public void The_tracked_addresses_stay_bounded()
    {
        var throttle = new LoginThrottle(Options with { MaxTrackedAddresses = 100 }, new ManualClock());
        for (var i = 0; i < 1000; i++) throttle.Failed(new IPAddress(0x0A000000u + (uint)i));
        Assert.InRange(throttle.TrackedAddresses, 1, 101);
    }

    [Fact]
    public async Task Failed_logins_over_the_wire_make_later_attempts_from_the_address_wait()
    {
        await using var host = GatewayFixture.StartDemoHost(s =>
        {
            s.LoginFreeFailures = 1;
            s.LoginBaseDelaySeconds = 0.05;
            s.LoginMaxDelaySeconds = 0.2;
        });
        var throttle = host.Server.LoginThrottle;

        // Raw clients: exactly one connection per attempt (Npgsql may reconnect after a failed open).
        async Task<RawClient> Attempt(string password)
        {
            var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(host.EndPoint);
            var client = RawClient.Wrap(tcp);
            await client.SendAsync(RawClient.StartupMessage("alice", "marketing"));
            await RawLogin.AuthenticateAsync(client, "alice", password);
            return client;
        }

        for (var i = 0; i < 4; i++)
        {
            var e = await Assert.ThrowsAsync<ServerErrorException>(() => Attempt("wrong-" + i));
            Assert.Equal("28P01", RawClient.SqlState(e.Payload));
        }
        // Attempts 1 and 2 were free (one free failure); attempts 3 and 4 waited.
        Assert.Equal(2, throttle.DelayedAttempts);
        Assert.Equal(TimeSpan.FromSeconds(0.2), throttle.DelayFor(IPAddress.Loopback));

        // The right password still gets in (slowed, not locked out) and clears the address.
        await using var right = await Attempt("alice");
        Assert.Equal(3, throttle.DelayedAttempts);
        Assert.Equal(TimeSpan.Zero, throttle.DelayFor(IPAddress.Loopback));
        await right.SendAsync(RawClient.Query("SELECT 1"));
        Assert.Contains(await right.ReadUntilAsync('Z'), m => m.Type == 'D');
    }
}
