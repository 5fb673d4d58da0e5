using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Sockets that never sign in cannot lock real clients out, and no user or address can take every session: the
/// waiting budget pushes out its oldest socket (of the busiest address) for a new one, a silent socket is dropped after
/// the short startup timeout, and sessions are capped per user and per address (53300). Real sockets, real clients.
/// The authentication timeouts are set far above the clients' own 15-second connect timeout, so a client that gets in
/// got in because of the budget, not because a timeout freed a slot.
/// </summary>
public sealed class ConnectionBudgetTests
{
    private static string Cs(GatewayHost host, string user = "alice", string database = "marketing") =>
        $"Host=127.0.0.1;Port={host.EndPoint.Port};Username={user};Password={user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=15";

    /// <summary>A socket from another loopback address (Linux routes all of 127/8 to lo), so tests can be several clients.</summary>
    private static async Task<TcpClient> ConnectFromAsync(GatewayHost host, string address)
    {
        var tcp = new TcpClient(new IPEndPoint(IPAddress.Parse(address), 0)) { NoDelay = true };
        await tcp.ConnectAsync(host.EndPoint);
        return tcp;
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        for (var i = 0; i < 600 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), what);
    }

    private static async Task<long> SelectOneAsync(NpgsqlConnection connection)
    {
        await using var cmd = new NpgsqlCommand("SELECT 1", connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Three_hundred_idle_sockets_do_not_keep_real_clients_from_signing_in()
    {
        await using var host = GatewayFixture.StartDemoHost(s =>
        {
            s.AuthenticationTimeoutSeconds = 300;
            s.StartupTimeoutSeconds = 300;
        });
        var idle = new List<TcpClient>();
        try
        {
            // Silent sockets, half a startup packet, and startup packets whose SCRAM challenge is never answered.
            for (var i = 0; i < 300; i++)
            {
                var tcp = new TcpClient { NoDelay = true };
                await tcp.ConnectAsync(host.EndPoint);
                byte[] opening = (i % 3) switch
                {
                    0 => [],
                    1 => [.. RawClient.BigEndian(200), .. RawClient.BigEndian(196608)],
                    _ => RawClient.StartupMessage("alice", "marketing"),
                };
                if (opening.Length > 0) await tcp.GetStream().WriteAsync(opening);
                idle.Add(tcp);
            }
            await using (var connection = new NpgsqlConnection(Cs(host)))
            {
                await connection.OpenAsync();
                Assert.Equal(1, await SelectOneAsync(connection));
            }
            // psql too, with its own libpq.
            var psql = await Psql.RunAsync(host.EndPoint.Port, ["-Atc", "SELECT 1"]);
            Assert.True(psql.ExitCode == 0, psql.StdErr);
            Assert.Equal("1", psql.StdOut.Trim());

            // The idle sockets beyond the waiting budget were pushed out, the oldest first: the first is closed.
            await WaitUntil(() => host.Server.Connections.Evicted >= 300 - 64, "the waiting budget never pushed out the surplus sockets");
            Assert.True(await RawClient.Wrap(idle[0]).IsClosedByServerAsync(TimeSpan.FromSeconds(10)), "the oldest idle socket is still open");
        }
        finally
        {
            foreach (var tcp in idle) tcp.Dispose();
        }
    }

    [Fact]
    public async Task The_oldest_waiting_socket_of_the_busiest_address_is_pushed_out_and_the_newest_signs_in()
    {
        await using var host = GatewayFixture.StartDemoHost(s =>
        {
            s.MaxUnauthenticatedConnections = 4;
            s.AuthenticationTimeoutSeconds = 300;
            s.StartupTimeoutSeconds = 300;
        });
        var sockets = new List<TcpClient>();
        try
        {
            // One quiet client on 127.0.0.2 waits longest; 127.0.0.3 then floods with four sockets.
            var quiet = await ConnectFromAsync(host, "127.0.0.2");
            sockets.Add(quiet);
            await WaitUntil(() => host.Server.Connections.Waiting == 1, "the first socket was not admitted");
            var flood = new List<TcpClient>();
            for (var i = 0; i < 4; i++)
            {
                flood.Add(await ConnectFromAsync(host, "127.0.0.3"));
                await WaitUntil(() => host.Server.Connections.Waiting + host.Server.Connections.Evicted == 2 + i, "a socket was not admitted");
            }
            sockets.AddRange(flood);
            Assert.Equal(1, host.Server.Connections.Evicted);

            // The flood pushed out its own oldest socket, not the quiet client that has waited longer.
            Assert.True(await RawClient.Wrap(flood[0]).IsClosedByServerAsync(TimeSpan.FromSeconds(10)), "the flood's oldest socket is still open");
            var survivor = RawClient.Wrap(quiet);
            await survivor.SendAsync(RawClient.StartupMessage("alice", "marketing"));
            await RawLogin.AuthenticateAsync(survivor, "alice", "alice");

            // With the flood alone (the budget full again), the oldest waiting socket goes first: the newest one signs in.
            sockets.Add(await ConnectFromAsync(host, "127.0.0.3"));
            await WaitUntil(() => host.Server.Connections.Waiting == 4, "the budget did not fill again");
            var newest = RawClient.Wrap(await ConnectFromAsync(host, "127.0.0.3"));
            await newest.SendAsync(RawClient.StartupMessage("bob", "ml_research"));
            await RawLogin.AuthenticateAsync(newest, "bob", "bob");
            Assert.True(await RawClient.Wrap(flood[1]).IsClosedByServerAsync(TimeSpan.FromSeconds(10)), "the oldest waiting socket is still open");
            Assert.Equal(2, host.Server.Connections.Sessions);
            await newest.DisposeAsync();
        }
        finally
        {
            foreach (var tcp in sockets) tcp.Dispose();
        }
    }

    [Fact]
    public async Task A_socket_that_sends_nothing_is_dropped_after_the_startup_timeout_but_authentication_keeps_its_own()
    {
        await using var host = GatewayFixture.StartDemoHost(s =>
        {
            s.StartupTimeoutSeconds = 1;
            s.AuthenticationTimeoutSeconds = 300;
        });
        using var silent = new TcpClient();
        await silent.ConnectAsync(host.EndPoint);
        using var signingIn = new TcpClient();
        await signingIn.ConnectAsync(host.EndPoint);
        var slow = RawClient.Wrap(signingIn);
        await slow.SendAsync(RawClient.StartupMessage("alice", "marketing"));
        var watch = Stopwatch.StartNew();

        Assert.True(await RawClient.Wrap(silent).IsClosedByServerAsync(TimeSpan.FromSeconds(60)), "a silent socket outlived the startup timeout");
        // Its startup packet is in: the startup timeout no longer applies, so it finishes signing in after it passed.
        if (watch.Elapsed < TimeSpan.FromSeconds(2)) await Task.Delay(TimeSpan.FromSeconds(2) - watch.Elapsed);
        await RawLogin.AuthenticateAsync(slow, "alice", "alice");
        await slow.SendAsync(RawClient.Query("SELECT 1"));
        Assert.Contains(await slow.ReadUntilAsync('Z'), m => m.Type == 'D');
    }

    [Fact]
    public async Task One_user_cannot_take_more_sessions_than_allowed_and_others_still_get_in()
    {
        await using var host = GatewayFixture.StartDemoHost(s => s.MaxSessionsPerUser = 2);
        await using var first = new NpgsqlConnection(Cs(host));
        await using var second = new NpgsqlConnection(Cs(host, database: "postgres"));
        await first.OpenAsync();
        await second.OpenAsync();
        await using var third = new NpgsqlConnection(Cs(host));
        var e = await Assert.ThrowsAsync<PostgresException>(() => third.OpenAsync());
        Assert.Equal(("FATAL", "53300", "too many connections for role \"alice\""), (e.Severity, e.SqlState, e.MessageText));

        await using (var bob = new NpgsqlConnection(Cs(host, "bob", "ml_research")))
        {
            await bob.OpenAsync();
            Assert.Equal(1, await SelectOneAsync(bob));
        }
        await first.CloseAsync();
        await WaitUntil(() => host.Server.Connections.Sessions == 1, "the closed session kept its slot");
        await using var again = new NpgsqlConnection(Cs(host));
        await again.OpenAsync();
        Assert.Equal(1, await SelectOneAsync(again));
    }

    [Fact]
    public async Task One_address_cannot_take_more_sessions_than_allowed_and_other_addresses_still_get_in()
    {
        await using var host = GatewayFixture.StartDemoHost(s => s.MaxSessionsPerAddress = 2);
        var open = new List<RawClient>();
        try
        {
            foreach (var (user, database) in new[] { ("alice", "marketing"), ("bob", "ml_research") })
            {
                var client = RawClient.Wrap(await ConnectFromAsync(host, "127.0.0.4"));
                open.Add(client);
                await client.SendAsync(RawClient.StartupMessage(user, database));
                await RawLogin.AuthenticateAsync(client, user, user);
            }
            var refused = RawClient.Wrap(await ConnectFromAsync(host, "127.0.0.4"));
            open.Add(refused);
            await refused.SendAsync(RawClient.StartupMessage("dave", "finance"));
            var e = await Assert.ThrowsAsync<ServerErrorException>(() => RawLogin.AuthenticateAsync(refused, "dave", "dave"));
            Assert.Equal(("FATAL", "53300", "too many connections from host \"127.0.0.4\""),
                (RawClient.Field(e.Payload, 'S'), RawClient.SqlState(e.Payload), RawClient.Field(e.Payload, 'M')));

            var other = RawClient.Wrap(await ConnectFromAsync(host, "127.0.0.5"));
            open.Add(other);
            await other.SendAsync(RawClient.StartupMessage("dave", "finance"));
            await RawLogin.AuthenticateAsync(other, "dave", "dave");
        }
        finally
        {
            foreach (var client in open) await client.DisposeAsync();
        }
    }
}
