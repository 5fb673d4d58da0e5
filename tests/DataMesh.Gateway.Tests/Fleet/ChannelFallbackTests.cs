using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;
using static DataMesh.Gateway.Tests.Fleet.FleetNodes;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// The change channel drops (the listener's backend terminated with pg_terminate_backend, as a failover or an
/// operator would): the node says so in /health and the metrics, follows the catalog by polling its version every
/// second meanwhile (a revoke made on the other node still cuts an open session within 2 s), and listens again by
/// itself within <c>CatalogListenRetrySeconds</c>. That is 10 s here, not the default 5, so that the polling phase
/// outlasts a slow revoke on a loaded machine: the test shows polling carried it, not a channel already back.
/// </summary>
public sealed class ChannelFallbackTests(PostgresCatalogServer server, ITestOutputHelper output) : IClassFixture<PostgresCatalogServer>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);
    private const string Probe = "SELECT count(*) FROM sales";

    [Fact]
    public async Task A_terminated_listener_falls_back_to_polling_says_so_and_listens_again()
    {
        await using var fleet = await StartAsync(server.NewDatabase(), new Dictionary<string, string> { ["DATAMESH_CATALOGLISTENRETRYSECONDS"] = "10" });
        Assert.Contains("following its changes by LISTEN", await HealthWithinAsync(fleet.MetricsB, "LISTEN", Limit));

        Assert.Equal(1, await TerminateListenerAsync(fleet.CatalogConnectionString, fleet.B.Process.Id));
        var health = await HealthWithinAsync(fleet.MetricsB, "polling", Limit);
        output.WriteLine(health);
        Assert.StartsWith("200 ready\ncatalog: reachable, polling: the change channel dropped (", health);
        Assert.Equal(0, await MetricAsync(fleet.MetricsB, "datamesh_catalog_listening"));
        Assert.Equal(1, await MetricAsync(fleet.MetricsB, "datamesh_catalog_listen_fallbacks_total"));
        Assert.Equal(1, await MetricAsync(fleet.MetricsA, "datamesh_catalog_listening")); // A's own channel is untouched

        // Polling still carries a revoke made on A to bob's open session on B.
        await using (var bob = await OpenAsync(fleet.B, "bob", "consumer"))
        {
            var (delay, state) = await TimeUntilRefusedAsync(bob, Probe, () => ExecuteAsync(fleet.A, "REVOKE SUBSCRIPTION 1"), Limit);
            output.WriteLine($"revoke on A -> refused on B (polling) after {delay.TotalMilliseconds:0} ms ({state})");
            Assert.Equal("42501", state);
            Assert.Equal(0, await MetricAsync(fleet.MetricsB, "datamesh_catalog_listening")); // it was polling that did it
        }

        // Back to LISTEN on its own; announcements arrive again.
        Assert.Contains("following its changes by LISTEN", await HealthWithinAsync(fleet.MetricsB, "LISTEN", TimeSpan.FromSeconds(25)));
        var announcements = await MetricAsync(fleet.MetricsB, "datamesh_catalog_announcements_total");
        await ExecuteAsync(fleet.A, "CREATE GROUP after_reconnect");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (await MetricAsync(fleet.MetricsB, "datamesh_catalog_announcements_total") == announcements && watch.Elapsed < Limit) await Task.Delay(20);
        Assert.True(await MetricAsync(fleet.MetricsB, "datamesh_catalog_announcements_total") > announcements, "no announcement reached B after it listened again");
        Assert.Equal(1, await MetricAsync(fleet.MetricsB, "datamesh_catalog_listening"));
        Assert.Contains("Following the catalog's changes by LISTEN", fleet.B.Log);
        Assert.Contains("The catalog's change channel dropped", fleet.B.Log);
    }

    /// <summary>pg_terminate_backend on the listener of the node with <paramref name="pid"/>: how many backends it ended.</summary>
    internal static async Task<long> TerminateListenerAsync(string catalogConnectionString, int pid)
    {
        await using var admin = new NpgsqlConnection(catalogConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = @name) t", admin);
        cmd.Parameters.AddWithValue("name", $"datamesh-listener {pid}");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
