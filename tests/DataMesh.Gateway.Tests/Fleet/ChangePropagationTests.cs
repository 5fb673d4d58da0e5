using DataMesh.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;
using static DataMesh.Gateway.Tests.Fleet.FleetNodes;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// Coherence across two real gateway processes on one PostgreSQL catalog: every catalog write NOTIFYs its change-log
/// position on commit, and each node LISTENs and patches its snapshot at once. The nodes here poll only every 30 s
/// (DATAMESH_CATALOGFOLLOWSECONDS), so a change reaching the other node within 2 s came through the notification: the
/// test fails when writes do not NOTIFY or nodes do not LISTEN.
/// </summary>
public sealed class ChangePropagationTests(PostgresCatalogServer server, ITestOutputHelper output) : IClassFixture<PostgresCatalogServer>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);
    private const string Probe = "SELECT count(*) FROM sales";

    [Fact]
    public async Task A_revoke_or_membership_change_on_one_node_reaches_an_open_session_on_the_other_at_its_next_statement()
    {
        await using var fleet = await StartAsync(server.NewDatabase(), new Dictionary<string, string> { ["DATAMESH_CATALOGFOLLOWSECONDS"] = "30" });
        Assert.Contains("catalog: reachable, following its changes by LISTEN datamesh_catalog_changes", await HealthWithinAsync(fleet.MetricsB, "LISTEN", Limit));

        // A revoke on A: bob's open session on B loses the table at its next statement.
        await using (var bob = await OpenAsync(fleet.B, "bob", "consumer"))
        {
            Assert.Equal(10L, await ScalarAsync(bob, Probe));
            var (delay, state) = await TimeUntilRefusedAsync(bob, Probe, () => ExecuteAsync(fleet.A, "REVOKE SUBSCRIPTION 1"), Limit);
            output.WriteLine($"revoke on A -> refused on B after {delay.TotalMilliseconds:0} ms ({state})");
            Assert.Equal("42501", state);
        }

        // A grant made on B reaches bob's open session on A (the other direction).
        await using (var bob = await OpenAsync(fleet.A, "bob", "consumer"))
        {
            await ExecuteAsync(fleet.B, "REQUEST SUBSCRIPTION TO producer.sales FOR PROJECT consumer JUSTIFICATION 'again'");
            await ExecuteAsync(fleet.B, "APPROVE SUBSCRIPTION 2 WITH ROW FILTER (id < 4)");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            object? count = null;
            while (watch.Elapsed < Limit)
            {
                try
                {
                    count = await ScalarAsync(bob, Probe);
                    break;
                }
                catch (Npgsql.PostgresException e) when (e.SqlState == "42501")
                {
                    await Task.Delay(10);
                }
            }
            output.WriteLine($"grant on B -> rows on A after {watch.Elapsed.TotalMilliseconds:0} ms");
            Assert.Equal(4L, count);

            // Bob removed from the project on B: his session on A is refused at its next statement.
            var (delay, state) = await TimeUntilRefusedAsync(bob, Probe, () => ExecuteAsync(fleet.B, "REMOVE MEMBER bob FROM PROJECT consumer"), Limit);
            output.WriteLine($"membership removed on B -> refused on A after {delay.TotalMilliseconds:0} ms ({state})");
            Assert.Equal("42501", state);
        }

        // A glossary term created on B shows on A.
        await ExecuteAsync(fleet.B, "CREATE GLOSSARY TERM 'Fleet Term' DESCRIPTION 'made on node b'");
        await using (var carol = await OpenAsync(fleet.A, "carol", "postgres"))
        {
            await using var cmd = new Npgsql.NpgsqlCommand("SHOW GLOSSARY", carol);
            await using var reader = await cmd.ExecuteReaderAsync();
            var terms = new List<string>();
            while (await reader.ReadAsync()) terms.Add(reader.GetString(0));
            Assert.Contains("Fleet Term", terms);
        }

        Assert.True(await MetricAsync(fleet.MetricsA, "datamesh_catalog_announcements_total") >= 3);
        Assert.True(await MetricAsync(fleet.MetricsB, "datamesh_catalog_announcements_total") >= 3);
        Assert.Equal(1, await MetricAsync(fleet.MetricsB, "datamesh_catalog_listening"));
        Assert.Equal(0, await MetricAsync(fleet.MetricsB, "datamesh_catalog_listen_fallbacks_total"));
    }
}
