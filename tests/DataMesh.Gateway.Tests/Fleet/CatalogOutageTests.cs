using System.Diagnostics;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;
using static DataMesh.Gateway.Tests.Fleet.FleetNodes;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// The shared catalog's PostgreSQL stops while two nodes serve (this class has a server of its own): /health reports
/// the catalog unreachable (503), new sessions are refused with FATAL 57P03, an open session goes on under the last
/// snapshot until the configured staleness (CatalogMaxStalenessSeconds, 10 s here) has passed and is then ended with
/// FATAL 57P03 (at its next statement, and an idle one unasked); PostgreSQL started again, both nodes serve and follow
/// changes again without a restart. Node A runs with CatalogListen off (polling only): a shared catalog's reachability
/// is judged the same way.
/// </summary>
public sealed class CatalogOutageTests(PostgresCatalogServer server, ITestOutputHelper output) : IClassFixture<PostgresCatalogServer>
{
    private static readonly TimeSpan Staleness = TimeSpan.FromSeconds(10);
    private const string Probe = "SELECT count(*) FROM sales";

    [Fact]
    public async Task A_node_whose_catalog_stops_refuses_new_sessions_ends_stale_ones_and_recovers_when_it_returns()
    {
        await using var fleet = await StartAsync(server.NewDatabase(),
            new Dictionary<string, string> { ["DATAMESH_CATALOGMAXSTALENESSSECONDS"] = Staleness.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            onlyA: new Dictionary<string, string> { ["DATAMESH_CATALOGLISTEN"] = "false" }); // A polls only: reachability is the same
        Assert.StartsWith("200 ready\ncatalog: reachable, polling (CatalogListen is off)\n", await HealthWithinAsync(fleet.MetricsA, "polling", TimeSpan.FromSeconds(2)));
        Assert.Contains("LISTEN", await HealthWithinAsync(fleet.MetricsB, "LISTEN", TimeSpan.FromSeconds(2)));
        await using var bob = await OpenAsync(fleet.B, "bob", "consumer");
        Assert.Equal(10L, await ScalarAsync(bob, Probe));
        // A second session of bob's that stays idle throughout: it must be ended without sending anything.
        var tcp = new System.Net.Sockets.TcpClient { NoDelay = true };
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, fleet.B.Port);
        await using var idle = RawClient.Wrap(tcp);
        await idle.SendAsync(RawClient.StartupMessage("bob", "consumer"));
        Assert.Equal('Z', (await RawLogin.AuthenticateAsync(idle, "bob", "bob"))[^1].Type);

        var stopped = Stopwatch.StartNew();
        await server.StopAsync();
        var health = await HealthWithinAsync(fleet.MetricsB, "catalog unreachable", TimeSpan.FromSeconds(5));
        output.WriteLine($"after {stopped.ElapsedMilliseconds} ms: {health}");
        Assert.StartsWith("503 catalog unreachable\ncatalog: unreachable, last answered ", health);
        Assert.Equal(0, await MetricAsync(fleet.MetricsB, "datamesh_catalog_reachable"));
        Assert.StartsWith("503 catalog unreachable\n", await HealthWithinAsync(fleet.MetricsA, "catalog unreachable", TimeSpan.FromSeconds(5)));

        // New sessions: refused before authentication, on both nodes.
        foreach (var node in new[] { fleet.B, fleet.A })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(node, "bob", "consumer"));
            Assert.Equal("57P03", refused.SqlState);
            Assert.StartsWith("the gateway cannot reach its catalog (last answer ", refused.MessageText);
        }

        // The open session is still governed from the last snapshot while the staleness allows ...
        Assert.Equal(10L, await ScalarAsync(bob, Probe));
        Assert.True(stopped.Elapsed < Staleness, $"the check ran too late to mean anything ({stopped.Elapsed})");
        // ... and ended at its first statement after it.
        PostgresException? ended = null;
        while (ended is null && stopped.Elapsed < Staleness + TimeSpan.FromSeconds(5))
        {
            try
            {
                await ScalarAsync(bob, Probe);
                await Task.Delay(100);
            }
            catch (PostgresException e)
            {
                ended = e;
            }
        }
        output.WriteLine($"open session ended {stopped.ElapsedMilliseconds} ms after the stop began: {ended?.MessageText}");
        Assert.NotNull(ended);
        Assert.Equal("57P03", ended.SqlState);
        Assert.Equal("FATAL", ended.Severity);
        Assert.StartsWith("terminating connection because the gateway's catalog has not answered for ", ended.MessageText);
        // Staleness runs from the catalog's last answer: a heartbeat at most CatalogFollowSeconds (1 s) before the stop.
        var reported = double.Parse(ended.MessageText.Split(' ')[^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reported, Staleness.TotalSeconds, Staleness.TotalSeconds + 5);
        Assert.True(stopped.Elapsed >= Staleness - TimeSpan.FromSeconds(1), $"the session ended {stopped.Elapsed} after the stop");
        Assert.Equal(System.Data.ConnectionState.Closed, bob.State);
        // The idle session got the same FATAL unasked, and its connection was closed.
        var unasked = await idle.ReadMessageAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(unasked);
        Assert.Equal('E', unasked.Value.Type);
        Assert.Equal("57P03", RawClient.SqlState(unasked.Value.Payload));
        Assert.Equal("FATAL", RawClient.Field(unasked.Value.Payload, 'S'));
        Assert.True(await idle.IsClosedByServerAsync(TimeSpan.FromSeconds(5)), "the idle session's connection stayed open");

        // PostgreSQL is back: both nodes serve and follow again, no restart.
        await server.StartAsync();
        Assert.StartsWith("200 ready\ncatalog: reachable, following its changes by LISTEN", await HealthWithinAsync(fleet.MetricsB, "LISTEN", TimeSpan.FromSeconds(15)));
        Assert.StartsWith("200 ready\ncatalog: reachable, polling (CatalogListen is off)", await HealthWithinAsync(fleet.MetricsA, "200 ready", TimeSpan.FromSeconds(15)));
        await using var again = await OpenAsync(fleet.B, "bob", "consumer");
        Assert.Equal(10L, await ScalarAsync(again, Probe));
        var (delay, state) = await TimeUntilRefusedAsync(again, Probe, () => ExecuteAsync(fleet.A, "REVOKE SUBSCRIPTION 1"), TimeSpan.FromSeconds(2));
        output.WriteLine($"after recovery: revoke on A -> refused on B after {delay.TotalMilliseconds:0} ms ({state})");
        Assert.Equal("42501", state);
        Assert.False(fleet.A.Process.HasExited || fleet.B.Process.HasExited);
    }
}
