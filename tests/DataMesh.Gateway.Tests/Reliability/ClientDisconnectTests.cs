using System.Diagnostics;
using System.Text;
using DataMesh.Gateway.Tests.Admin;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// Issue 14, item 8: a client that disconnects mid-query must stop the engine call it started. Before, the gateway
/// noticed a closed socket only when it next wrote to it, which for an aggregate over 10^15 rows is never: the core
/// stayed pinned for nobody. The session's socket is now polled for the peer's hang-up and the statement interrupted
/// like a cancel; its audit record (written when the engine call returns) shows it ended, with the reason.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ClientDisconnectTests(GatewayFixture gateway, ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_that_closes_its_socket_mid_query_stops_the_engine_call(bool reset)
    {
        var marker = Random.Shared.NextInt64(1_000_000, long.MaxValue);
        // Hours of work on one core for the engine, and no row to send before it ends.
        var sql = $"SELECT count(*) FROM range(1000000000000000) t(x) WHERE x % 7 = 3 AND x <> {marker}";
        var client = await RawLogin.ConnectAsync(gateway, "alice");
        await client.SendAsync(RawClient.Message('Q', [.. Encoding.UTF8.GetBytes(sql), 0]));

        // The probe: the query really runs (still nothing in the audit, no answer) before the client leaves.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Null(await AuditedAsync(marker));
        Assert.Equal(0, client.Stream.Socket.Available);

        if (reset) client.Stream.Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0); // RST instead of FIN
        var closed = Stopwatch.StartNew();
        await client.DisposeAsync();

        object?[]? record = null;
        while (record is null && closed.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
            record = await AuditedAsync(marker);
        }
        Assert.True(record is not null, "the engine call was still running 60 s after the client left");
        output.WriteLine($"statement ended {closed.Elapsed.TotalMilliseconds:F0} ms after the client closed its socket ({(reset ? "RST" : "FIN")})");
        Assert.Equal("error", record[0]);
        Assert.Equal("57014", record[1]);
        Assert.Equal("canceling statement because the connection to the client was lost", record[2]);

        // The project's instance answers the next session at once.
        await using var next = new NpgsqlConnection(gateway.ConnectionString("alice", "alice", "marketing"));
        await next.OpenAsync();
        var answered = Stopwatch.StartNew();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM range(1000) t(x)", next);
        Assert.Equal(1000L, Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        output.WriteLine($"next query on the instance: {answered.Elapsed.TotalMilliseconds:F0} ms");
    }

    /// <summary>The query's audit record (outcome, SQLSTATE, message), or null while it has none.</summary>
    private async Task<object?[]?> AuditedAsync(long marker)
    {
        await using var carol = new NpgsqlConnection(gateway.ConnectionString("carol", "carol", "postgres"));
        await carol.OpenAsync();
        var audit = await carol.QueryAsync("SHOW AUDIT LIMIT 10000");
        var statement = audit.IndexOf("statement");
        var row = audit.Rows.FirstOrDefault(r => r[statement] is string s && s.Contains(marker.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            && !s.StartsWith("SHOW", StringComparison.Ordinal));
        return row is null ? null : [row[audit.IndexOf("outcome")], row[audit.IndexOf("sqlstate")], row[audit.IndexOf("message")]];
    }
}
