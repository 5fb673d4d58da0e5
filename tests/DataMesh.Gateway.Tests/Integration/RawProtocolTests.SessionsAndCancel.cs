using System.Buffers.Binary;
using System.Diagnostics;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>Disconnects, simple-query framing and cancel requests, spoken byte by byte.</summary>
public sealed partial class RawProtocolTests
{
    [Fact]
    public async Task ClientStopsReadingThenCloses_ServerReleasesConnection()
    {
        // The client never reads: the server fills the socket buffers and blocks in backpressure, then the
        // client goes away with a FIN. The blocked write must fail and the session end.
        var server = fixture.Host.Server;
        await WaitForAsync(() => server.ActiveConnections == 0, TimeSpan.FromSeconds(5));
        var baseline = server.ActiveConnections;
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            client.Stream.Socket.ReceiveBufferSize = 4096;
            await client.SendAsync(RawClient.Query("select * from marketing.mkt_sls_table"));
            await Task.Delay(1000);
            Assert.Equal(baseline + 1, server.ActiveConnections);
        }
        var released = await WaitForAsync(() => server.ActiveConnections <= baseline, TimeSpan.FromSeconds(10));
        Assert.True(released, $"the server still counts {server.ActiveConnections} active connection(s) (baseline {baseline})");
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task ClientDisconnectsDuringAuthentication_ConnectionIsReleased()
    {
        var server = fixture.Host.Server;
        await WaitForAsync(() => server.ActiveConnections == 0, TimeSpan.FromSeconds(5));
        var baseline = server.ActiveConnections;
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync(RawClient.StartupMessage("alice", "marketing"));
            var sasl = await client.ReadMessageAsync();
            Assert.Equal('R', sasl!.Value.Type);
            Assert.Equal(10, BinaryPrimitives.ReadInt32BigEndian(sasl.Value.Payload));
        }
        var released = await WaitForAsync(() => server.ActiveConnections <= baseline, TimeSpan.FromSeconds(10));
        Assert.True(released, $"the server still counts {server.ActiveConnections} active connection(s) (baseline {baseline})");
        await AssertServerAliveAsync();
    }

    // ---------------------------------------------------------------- simple query protocol

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(";")]
    [InlineData(" ; ;; ")]
    [InlineData("-- only a comment")]
    public async Task SimpleQuery_EmptyQuery_GivesEmptyQueryResponseThenReady(string sql)
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            await client.SendAsync(RawClient.Query(sql));
            var messages = await client.ReadUntilAsync('Z');
            Assert.Equal("IZ", Types(messages));
            Assert.Equal((byte)'I', messages[^1].Payload[0]);
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task SimpleQuery_TwoStatements_TwoResultSetsAndOneReady()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            await client.SendAsync(RawClient.Query("select 1 as one; select 2 as two"));
            var messages = await client.ReadUntilAsync('Z');
            Assert.Equal("TDCTDCZ", Types(messages));
            Assert.Equal("one", FirstFieldName(messages[0].Payload));
            Assert.Equal("1", TextValues(messages[1].Payload)[0]);
            Assert.Equal("SELECT 1", CString(messages[2].Payload));
            Assert.Equal("two", FirstFieldName(messages[3].Payload));
            Assert.Equal("2", TextValues(messages[4].Payload)[0]);
            Assert.Equal("SELECT 1", CString(messages[5].Payload));
            Assert.Equal((byte)'I', messages[6].Payload[0]);
            // Nothing else is pending after the single ReadyForQuery.
            Assert.Null(await TryReadMessageAsync(client, TimeSpan.FromMilliseconds(300)));
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task SimpleQuery_ErrorInMiddle_StopsTheRest_OneErrorOneReady()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            await client.SendAsync(RawClient.Query("select 1; select error_here_undefined_column_x; select 3"));
            var messages = await client.ReadUntilAsync('Z');
            Assert.Equal("TDCEZ", Types(messages));
            Assert.Equal("SELECT 1", CString(messages[2].Payload));
            var error = messages[3].Payload;
            Assert.Equal("ERROR", RawClient.Field(error, 'S'));
            Assert.Equal("42703", RawClient.SqlState(error));
            Assert.Equal((byte)'I', messages[4].Payload[0]);
            Assert.Null(await TryReadMessageAsync(client, TimeSpan.FromMilliseconds(300)));

            // The session is still usable after the error.
            Assert.Equal(new[] { "4" }, await QueryValuesAsync(client, "select 4"));
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task SimpleQuery_TrailingSemicolonsAndComments_AreOneStatement()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            await client.SendAsync(RawClient.Query("select 'a;b' as s; -- trailing comment ;\n;"));
            var messages = await client.ReadUntilAsync('Z');
            Assert.Equal("TDCZ", Types(messages));
            Assert.Equal("a;b", TextValues(messages[1].Payload)[0]);
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task SimpleQuery_DataRows_MatchDemoData()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            await client.SendAsync(RawClient.Query("select item_id, region from marketing.mkt_sls_table order by item_id limit 3"));
            var messages = await client.ReadUntilAsync('Z');
            Assert.Equal("TDDDCZ", Types(messages));
            Assert.Equal(new[] { "1", "North America" }, TextValues(messages[1].Payload));
            Assert.Equal(new[] { "2", "Asia" }, TextValues(messages[2].Payload));
            Assert.Equal(new[] { "3", "South America" }, TextValues(messages[3].Payload));
            Assert.Equal("SELECT 3", CString(messages[4].Payload));
        }
    }

    // ---------------------------------------------------------------- cancellation

    [Fact]
    public async Task CancelRequest_WithWrongKey_DoesNotCancel()
    {
        await using var client = await RawClient.ConnectAsync(fixture);
        var afterAuth = await AuthenticateAsync(client, "alice", "alice");
        var (pid, key) = BackendKey(afterAuth);

        // ~1-2 s of work: long enough for the cancel to land while it runs.
        await client.SendAsync(RawClient.Query("select count(*) as n from range(3000000000)"));
        await Task.Delay(300);
        await SendCancelAsync(pid, unchecked(key + 1));
        await SendCancelAsync(unchecked(pid + 1), key);

        var messages = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(60));
        Assert.DoesNotContain(messages, m => m.Type == 'E');
        Assert.Equal("TDCZ", Types(messages));
        Assert.Equal("3000000000", TextValues(messages[1].Payload)[0]);
    }

    [Fact]
    public async Task CancelRequest_WithRightKey_CancelsWith57014_AndSessionContinues()
    {
        await using var client = await RawClient.ConnectAsync(fixture);
        var afterAuth = await AuthenticateAsync(client, "alice", "alice");
        var (pid, key) = BackendKey(afterAuth);

        // Tens of seconds of work if the cancel is lost, but bounded so a failure cannot wedge the shared engine for long.
        await client.SendAsync(RawClient.Query("select sum(a.range * b.range) from range(100000) a, range(100000) b"));
        await Task.Delay(500);
        var watch = Stopwatch.StartNew();
        await SendCancelAsync(pid, key);
        var messages = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(15));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
        var error = Assert.Single(messages, m => m.Type == 'E');
        Assert.Equal("57014", RawClient.SqlState(error.Payload));
        Assert.Equal("canceling statement due to user request", RawClient.Field(error.Payload, 'M'));

        // The cancel does not leak into the next statement.
        Assert.Equal(new[] { "5" }, await QueryValuesAsync(client, "select 5"));
    }

    [Fact]
    public async Task CancelRequest_ArrivingWhileStatementStarts_IsHonoredPromptly()
    {
        // A large IN list makes parsing/binding take a while; a cancel that lands in that window must still stop the
        // statement at once, not after the engine has finished all of its work.
        await using var client = await RawClient.ConnectAsync(fixture);
        var (pid, key) = BackendKey(await AuthenticateAsync(client, "alice", "alice"));
        var list = string.Join(",", Enumerable.Range(0, 30000));
        var sql = $"select sum(a.range * b.range) from range(40000) a, range(40000) b where a.range not in ({list})";

        // Reference: how long the statement takes when nobody cancels it.
        var full = Stopwatch.StartNew();
        var reference = await ReadAllAsync(client, sql, TimeSpan.FromSeconds(120));
        full.Stop();
        Assert.Contains(reference, m => m.Type == 'D');

        await client.SendAsync(RawClient.Query(sql));
        await Task.Delay(50);
        await SendCancelAsync(pid, key);
        var sinceCancel = Stopwatch.StartNew();
        var messages = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(120));
        sinceCancel.Stop();
        var error = Assert.Single(messages, m => m.Type == 'E');
        Assert.Equal("57014", RawClient.SqlState(error.Payload));
        Assert.True(sinceCancel.Elapsed < TimeSpan.FromSeconds(1) || sinceCancel.Elapsed < full.Elapsed / 4,
            $"the cancel took {sinceCancel.Elapsed.TotalSeconds:F2} s to take effect; the whole statement takes {full.Elapsed.TotalSeconds:F2} s");
    }
}
