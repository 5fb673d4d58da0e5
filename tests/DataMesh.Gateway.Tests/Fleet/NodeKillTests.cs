using System.Diagnostics;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;
using static DataMesh.Gateway.Tests.Fleet.FleetNodes;

namespace DataMesh.Gateway.Tests.Fleet;

/// <summary>
/// Node A killed with SIGKILL in the middle of catalog writes: nothing of it survives (PostgreSQL rolls back what its
/// connections had open and frees the catalog's write lock), and node B goes on serving: its open session, new sessions,
/// and catalog writes of its own.
/// </summary>
public sealed class NodeKillTests(PostgresCatalogServer server, ITestOutputHelper output) : IClassFixture<PostgresCatalogServer>
{
    private const string Probe = "SELECT count(*) FROM sales";

    [Fact]
    public async Task Killing_one_node_mid_write_leaves_the_other_serving()
    {
        await using var fleet = await StartAsync(server.NewDatabase());
        await using var bob = await OpenAsync(fleet.B, "bob", "consumer");
        Assert.Equal(10L, await ScalarAsync(bob, Probe));

        // Catalog writes on A, back to back, until A dies under them.
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            try
            {
                await using var carol = await OpenAsync(fleet.A, "carol", "postgres");
                while (!stop.IsCancellationRequested)
                {
                    await using var cmd = new NpgsqlCommand($"CREATE GROUP on_a_{written}", carol);
                    await cmd.ExecuteNonQueryAsync();
                    Interlocked.Increment(ref written);
                }
            }
            catch (Exception e) when (e is NpgsqlException or IOException)
            {
                // A died under it
            }
        });
        var watch = Stopwatch.StartNew();
        while (Volatile.Read(ref written) < 5 && watch.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        Assert.True(Volatile.Read(ref written) >= 5, "node A wrote nothing");
        fleet.A.Signal("KILL");
        Assert.True(fleet.A.WaitForExit(TimeSpan.FromSeconds(10)), "node A survived SIGKILL");
        await stop.CancelAsync();
        await writer;

        // B: the open session, a new one, and a catalog write of its own (the lock A may have held is free).
        Assert.Equal(10L, await ScalarAsync(bob, Probe));
        await using (var fresh = await OpenAsync(fleet.B, "bob", "consumer"))
            Assert.Equal(10L, await ScalarAsync(fresh, Probe));
        watch.Restart();
        await ExecuteAsync(fleet.B, "CREATE GROUP after_a_died");
        output.WriteLine($"A wrote {written} groups before SIGKILL; B's first write after it took {watch.ElapsedMilliseconds} ms");
        var (delay, state) = await TimeUntilRefusedAsync(bob, Probe, () => ExecuteAsync(fleet.B, "REVOKE SUBSCRIPTION 1"), TimeSpan.FromSeconds(2));
        Assert.Equal("42501", state);
        Assert.StartsWith("200 ready\ncatalog: reachable, following its changes by LISTEN", await HealthWithinAsync(fleet.MetricsB, "LISTEN", TimeSpan.FromSeconds(2)));

        // Every group A committed is in the catalog B serves (none half-written).
        await using var carolB = await OpenAsync(fleet.B, "carol", "postgres");
        await using var groups = new NpgsqlCommand("SHOW GROUPS", carolB);
        await using var reader = await groups.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        Assert.All(Enumerable.Range(0, written), i => Assert.Contains($"on_a_{i}", names));
        Assert.Contains("after_a_died", names);
        output.WriteLine($"revoke on B after the kill refused bob after {delay.TotalMilliseconds:0} ms");
    }
}
