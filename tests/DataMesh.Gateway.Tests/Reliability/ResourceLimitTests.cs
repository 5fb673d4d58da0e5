using System.Net.Sockets;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Limits that fail one statement or one connection cleanly while everything else keeps working. (53300, 53200, 57014
/// and a single stalled startup are covered in Integration/ServerLifecycleTests and ProjectSessionTests.)
/// </summary>
public sealed class ResourceLimitTests
{
    private static string Cs(GatewayHost host, string user = "alice") =>
        $"Host=127.0.0.1;Port={host.EndPoint.Port};Username={user};Password={user};Database=marketing;SSL Mode=Disable;Pooling=false;Timeout=15";

    [Fact]
    public async Task A_result_row_over_the_limit_is_54000_and_the_connection_goes_on()
    {
        await using var host = GatewayFixture.StartDemoHost(s => s.MaxResultRowBytes = 1024 * 1024);
        await using var connection = new NpgsqlConnection(Cs(host));
        await connection.OpenAsync();

        // Rows before the big one stream normally; the big one is refused before any byte of it is sent.
        await using (var cmd = new NpgsqlCommand("SELECT CASE WHEN i < 3 THEN 'small' ELSE repeat('x', 2000000) END FROM range(5) t(i) ORDER BY i", connection))
        {
            await using var reader = await cmd.ExecuteReaderAsync();
            var rows = 0;
            var e = await Assert.ThrowsAsync<PostgresException>(async () => { while (await reader.ReadAsync()) rows++; });
            Assert.Equal("54000", e.SqlState);
            Assert.Contains("exceeds the limit of 1048576 bytes", e.MessageText);
            Assert.Equal(3, rows);
        }

        // The same session: a row just under the limit fits (the buffer grows up to the limit itself), then more queries.
        await using (var fits = new NpgsqlCommand("SELECT length(repeat('y', 1000000))", connection))
            Assert.Equal(1000000L, Convert.ToInt64(await fits.ExecuteScalarAsync()));
        await using (var near = new NpgsqlCommand("SELECT repeat('z', 1040000)", connection))
            Assert.Equal(1040000, ((string)(await near.ExecuteScalarAsync())!).Length);
        await using var again = new NpgsqlCommand("SELECT 41 + 1", connection);
        Assert.Equal(42, await again.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_binary_result_row_over_the_limit_is_54000_too()
    {
        await using var host = GatewayFixture.StartDemoHost(s => s.MaxResultRowBytes = 256 * 1024);
        await using var connection = new NpgsqlConnection(Cs(host));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT CAST(repeat('x', 300000) AS BLOB) AS b", connection);
        await cmd.PrepareAsync(); // extended protocol, binary results
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
        Assert.Equal("54000", e.SqlState);
        await using var again = new NpgsqlCommand("SELECT 'still here'", connection);
        Assert.Equal("still here", await again.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Sockets_that_stall_in_startup_or_in_scram_are_dropped_and_free_their_slots()
    {
        await using var host = GatewayFixture.StartDemoHost(s =>
        {
            s.AuthenticationTimeoutSeconds = 2; // the real client at the end must sign in within it on loaded CI cores
            s.MaxConnections = 4;
        });
        var stalled = new List<TcpClient>();
        try
        {
            // Four kinds of slowloris (silent, half a length word, half a startup packet, and a startup packet whose
            // SCRAM challenge is never answered), as many as MaxConnections (they take no session slot, see
            // ConnectionBudgetTests, but they must still be dropped).
            byte[][] openings =
            [
                [],
                [0, 0],
                [.. RawClient.BigEndian(200), .. RawClient.BigEndian(196608)],
                RawClient.StartupMessage("alice", "marketing"),
            ];
            foreach (var bytes in openings)
            {
                var tcp = new TcpClient();
                await tcp.ConnectAsync(host.EndPoint);
                if (bytes.Length > 0) await tcp.GetStream().WriteAsync(bytes);
                stalled.Add(tcp);
            }
            // Each is closed by the server (end of stream) once the authentication timeout passes; a FATAL may come first.
            foreach (var tcp in stalled)
            {
                var client = RawClient.Wrap(tcp);
                Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(20)), "a stalled socket was never dropped");
            }
            await WaitUntil(() => host.Server.ActiveConnections == 0);

            // The slots are free again: a real client gets in.
            await using var connection = new NpgsqlConnection(Cs(host));
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT 1", connection);
            Assert.Equal(1, await cmd.ExecuteScalarAsync());
        }
        finally
        {
            foreach (var tcp in stalled) tcp.Dispose();
        }
    }

    [Fact]
    public async Task The_authentication_timeout_ends_with_authentication_not_the_session()
    {
        await using var host = GatewayFixture.StartDemoHost(s => s.AuthenticationTimeoutSeconds = 2);
        await using var connection = new NpgsqlConnection(Cs(host));
        await connection.OpenAsync();
        await Task.Delay(4500); // well past the timeout, which only bounds startup and authentication
        await using var cmd = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await cmd.ExecuteScalarAsync());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "condition not reached");
    }
}
