using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// Wire-level tests with hand-built bytes: hostile or malformed input must end in a FATAL error and/or a closed
/// connection, never in a hang or a dead server; every test checks that a fresh client still gets served.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RawProtocolTests(GatewayFixture fixture)
{
    private static readonly TimeSpan ClosePromptly = TimeSpan.FromSeconds(5);

    // ---------------------------------------------------------------- startup phase

    [Fact]
    public async Task StartupPacket_LengthUnder8_IsRejectedAndClosed()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync([.. RawClient.BigEndian(4), 0, 0, 0, 0]);
            var (messages, closed) = await DrainUntilClosedAsync(client, ClosePromptly);
            Assert.True(closed, "the server must close a connection whose startup packet length is under 8");
            AssertOnlyFatal(messages, "08P01");
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task StartupPacket_HugeLength_IsRejectedWithoutWaitingForTheBody()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            // Claims 10 MB but sends only a few bytes: the server must not wait (the auth timeout is 30 s).
            await client.SendAsync([.. RawClient.BigEndian(10 * 1024 * 1024), .. RawClient.BigEndian(196608), 1, 2, 3]);
            var watch = Stopwatch.StartNew();
            var (messages, closed) = await DrainUntilClosedAsync(client, ClosePromptly);
            Assert.True(closed, "the server must close at once when a startup packet claims more than 10000 bytes");
            Assert.True(watch.Elapsed < ClosePromptly);
            AssertOnlyFatal(messages, "08P01");
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task StartupPacket_NegativeLength_IsRejectedAndClosed()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync([0xFF, 0xFF, 0xFF, 0xF0, 0, 3, 0, 0]);
            var (messages, closed) = await DrainUntilClosedAsync(client, ClosePromptly);
            Assert.True(closed);
            AssertOnlyFatal(messages, "08P01");
        }
        await AssertServerAliveAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(2024)]
    public async Task StartupPacket_RandomGarbage_ClosesConnection(int seed)
    {
        var garbage = new byte[64];
        new Random(seed).NextBytes(garbage);
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync(garbage);
            // Whatever the first word says, the client sends nothing more and half-closes: the server must end it.
            client.Stream.Socket.Shutdown(SocketShutdown.Send);
            var (messages, closed) = await DrainUntilClosedAsync(client, ClosePromptly);
            Assert.True(closed, "the server must close a connection that sent garbage");
            Assert.All(messages, m => Assert.Equal('E', m.Type));
        }
        await AssertServerAliveAsync();
    }

    [Theory]
    [InlineData(7)]
    [InlineData(99)]
    public async Task StartupPacket_GarbageWithPlausibleLength_GetsFatalErrorAndClose(int seed)
    {
        // A well-framed 64-byte packet whose body is random: the "protocol version" is garbage.
        var packet = new byte[64];
        new Random(seed).NextBytes(packet);
        BinaryPrimitives.WriteInt32BigEndian(packet, 64);
        Assert.NotEqual(3, BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(4)) >> 16);
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync(packet);
            var (messages, closed) = await DrainUntilClosedAsync(client, ClosePromptly);
            Assert.True(closed);
            var error = Assert.Single(messages);
            Assert.Equal('E', error.Type);
            Assert.Equal("FATAL", RawClient.Field(error.Payload, 'S'));
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task StartupPacket_Version3WithoutTerminators_IsProtocolViolation()
    {
        // "user\0alice" and then no terminator for the next name, nor the final zero byte.
        byte[] body = [.. RawClient.BigEndian(196608), .. "user\0alice\0database"u8];
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync([.. RawClient.BigEndian(body.Length + 4), .. body]);
            var (messages, closed) = await DrainUntilClosedAsync(client, ClosePromptly);
            Assert.True(closed);
            AssertOnlyFatal(messages, "08P01");
            Assert.Single(messages);
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task StartupPacket_Protocol2_GetsFatalThenClose()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync(RawClient.StartupMessage("alice", "marketing", version: 2 << 16));
            var error = await client.ReadMessageAsync(ClosePromptly);
            Assert.NotNull(error);
            Assert.Equal('E', error.Value.Type);
            Assert.Equal("FATAL", RawClient.Field(error.Value.Payload, 'S'));
            Assert.Equal("0A000", RawClient.SqlState(error.Value.Payload));
            Assert.Contains("2.0", RawClient.Field(error.Value.Payload, 'M'));
            Assert.True(await client.IsClosedByServerAsync(ClosePromptly));
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task Startup_WithoutUser_IsFatal28000()
    {
        byte[] body = [.. RawClient.BigEndian(196608), .. "database\0marketing\0\0"u8];
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync([.. RawClient.BigEndian(body.Length + 4), .. body]);
            var error = await client.ReadMessageAsync(ClosePromptly);
            Assert.NotNull(error);
            Assert.Equal('E', error.Value.Type);
            Assert.Equal("FATAL", RawClient.Field(error.Value.Payload, 'S'));
            Assert.Equal("28000", RawClient.SqlState(error.Value.Payload));
            Assert.True(await client.IsClosedByServerAsync(ClosePromptly));
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task SslRequest_FollowedByPlaintextInSameSegment_IsClosedWithoutTls()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            // A client that does not wait for 'S'/'N': the startup message rides in the same TCP segment.
            await client.SendAsync([.. RawClient.SslRequest(), .. RawClient.StartupMessage("alice", "marketing")]);
            var received = new List<byte>();
            var closed = await ReadRawUntilClosedAsync(client, received, ClosePromptly);
            Assert.True(closed, "the server must close a connection with plaintext bytes after SSLRequest");
            // No TLS handshake (a ServerHello would be a 0x16 record) and no authentication request.
            Assert.True(received.Count == 0 || (received.Count == 1 && received[0] == (byte)'S'),
                $"expected nothing (or a lone 'S') before the close, got {received.Count} bytes: {Convert.ToHexString(received.Take(32).ToArray())}");
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task SslRequest_Alone_IsAnsweredWithS()
    {
        // Control for the test above: a well-behaved SSLRequest is answered 'S' (the fixture has TLS on).
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync(RawClient.SslRequest());
            var answer = new byte[1];
            using var cts = new CancellationTokenSource(ClosePromptly);
            await client.Stream.ReadExactlyAsync(answer, cts.Token);
            Assert.Equal((byte)'S', answer[0]);
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task GssEncRequest_IsAnsweredN_ThenStartupContinuesOnSameSocket()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync([.. RawClient.BigEndian(8), .. RawClient.BigEndian(80877104)]);
            var answer = new byte[1];
            using (var cts = new CancellationTokenSource(ClosePromptly))
                await client.Stream.ReadExactlyAsync(answer, cts.Token);
            Assert.Equal((byte)'N', answer[0]);

            await AuthenticateAsync(client, "alice", "alice");
            var rows = await QueryValuesAsync(client, "select 40 + 2 as answer");
            Assert.Equal(new[] { "42" }, rows);
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task CancelRequest_OnFreshSocket_IsNeverAnsweredAndClosed()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await client.SendAsync([.. RawClient.BigEndian(16), .. RawClient.BigEndian(80877102), .. RawClient.BigEndian(12345), .. RawClient.BigEndian(678)]);
            var received = new List<byte>();
            Assert.True(await ReadRawUntilClosedAsync(client, received, ClosePromptly));
            Assert.Empty(received);
        }
        await AssertServerAliveAsync();
    }

    // ---------------------------------------------------------------- authentication

    [Fact]
    public async Task Scram_RawClientExchange_Succeeds_AndServerSignatureVerifies()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            var afterAuth = await AuthenticateAsync(client, "alice", "alice");
            Assert.Contains(afterAuth, m => m.Type == 'K' && m.Payload.Length == 8);
            Assert.Contains(afterAuth, m => m.Type == 'S');
            Assert.Equal('Z', afterAuth[^1].Type);
            Assert.Equal((byte)'I', afterAuth[^1].Payload[0]);
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task Scram_WrongPassword_IsFatal28P01()
    {
        // Repeated: the FATAL ErrorResponse must reach the client every time before the close, not just sometimes.
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            await using var client = await RawClient.ConnectAsync(fixture);
            ServerErrorException error;
            try
            {
                await AuthenticateAsync(client, "alice", "not-alice");
                Assert.Fail("authentication with a wrong password succeeded");
                return;
            }
            catch (ServerErrorException e)
            {
                error = e;
            }
            catch (EndOfStreamException e)
            {
                Assert.Fail($"attempt {attempt}: the server closed the connection without the FATAL 28P01 ErrorResponse ({e.Message})");
                return;
            }
            Assert.Equal("FATAL", RawClient.Field(error.Payload, 'S'));
            Assert.Equal("28P01", RawClient.SqlState(error.Payload));
            Assert.Equal("password authentication failed for user \"alice\"", RawClient.Field(error.Payload, 'M'));
            Assert.True(await client.IsClosedByServerAsync(ClosePromptly));
        }
        await AssertServerAliveAsync();
    }

    // ---------------------------------------------------------------- framing after authentication

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-1)]
    public async Task AfterAuth_MessageLengthUnder4_IsFatal08P01AndClosed(int length)
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            await client.SendAsync([(byte)'Q', .. RawClient.BigEndian(length)]);
            await ExpectFatalThenCloseAsync(client, "08P01");
        }
        await AssertServerAliveAsync();
    }

    [Theory]
    [InlineData('y')]
    [InlineData('\0')]
    [InlineData('p')] // PasswordMessage is only valid during authentication
    public async Task AfterAuth_UnexpectedMessageType_IsFatal08P01AndClosed(char type)
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            await client.SendAsync(RawClient.Message(type, [1, 2, 3, 0]));
            await ExpectFatalThenCloseAsync(client, "08P01");
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task AfterAuth_MessageOverMaxSize_IsFatal54000WithoutWaitingForBody()
    {
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            // Claims 100 MB (limit: 1 MiB) and sends only the header: the server must not wait for the body.
            await client.SendAsync([(byte)'Q', .. RawClient.BigEndian(100 * 1024 * 1024)]);
            var watch = Stopwatch.StartNew();
            await ExpectFatalThenCloseAsync(client, "54000");
            Assert.True(watch.Elapsed < ClosePromptly);
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task AfterAuth_MessageJustUnderMaxSize_IsAccepted()
    {
        // Control for the limit test: a large but allowed query (~900 KB of comment) still runs.
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            var sql = "select 7 as seven /*" + new string('x', 900 * 1024) + "*/";
            var rows = await QueryValuesAsync(client, sql);
            Assert.Equal(new[] { "7" }, rows);
        }
        await AssertServerAliveAsync();
    }

    [Fact]
    public async Task AfterAuth_TruncatedQueryPayload_IsProtocolViolation()
    {
        // A Query message whose string has no terminating zero byte.
        await using (var client = await RawClient.ConnectAsync(fixture))
        {
            await AuthenticateAsync(client, "alice", "alice");
            await client.SendAsync(RawClient.Message('Q', "select 1"u8.ToArray()));
            var messages = await client.ReadUntilAsync('E', ClosePromptly);
            var error = messages[^1].Payload;
            Assert.Equal("08P01", RawClient.SqlState(error));
        }
        await AssertServerAliveAsync();
    }

    // ---------------------------------------------------------------- abrupt client disconnects

    [Fact]
    public async Task ClientDisconnectsMidResult_ServerSurvivesAndConnectionIsReleased()
    {
        var server = fixture.Host.Server;
        await WaitForAsync(() => server.ActiveConnections == 0, TimeSpan.FromSeconds(5));
        var baseline = server.ActiveConnections;

        var client = await RawClient.ConnectAsync(fixture);
        try
        {
            await AuthenticateAsync(client, "alice", "alice");
            Assert.Equal(baseline + 1, server.ActiveConnections);
            await client.SendAsync(RawClient.Query("select * from marketing.mkt_sls_table"));
            var buffer = new byte[4096];
            var total = 0;
            byte first = 0;
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
            {
                while (total < 16 * 1024)
                {
                    var n = await client.Stream.ReadAsync(buffer, cts.Token);
                    Assert.True(n > 0, "the server closed before sending the first rows");
                    if (total == 0) first = buffer[0];
                    total += n;
                }
            }
            Assert.Equal((byte)'T', first); // RowDescription, then DataRows
            // Abortive close (RST) with megabytes of result still to come.
            client.Stream.Socket.LingerState = new LingerOption(true, 0);
            client.Stream.Socket.Close();
        }
        finally
        {
            await client.DisposeAsync();
        }

        var released = await WaitForAsync(() => server.ActiveConnections <= baseline, TimeSpan.FromSeconds(10));
        Assert.True(released, $"the server still counts {server.ActiveConnections} active connection(s) (baseline {baseline})");
        await AssertServerAliveAsync();
    }

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

    private static async Task<List<(char Type, byte[] Payload)>> ReadAllAsync(RawClient client, string sql, TimeSpan timeout)
    {
        await client.SendAsync(RawClient.Query(sql));
        return await client.ReadUntilAsync('Z', timeout);
    }

    // ================================================================ helpers

    private async Task AssertServerAliveAsync()
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        Assert.Equal(1, Convert.ToInt32(await command.ExecuteScalarAsync()));
    }

    /// <summary>Sends a StartupMessage and authenticates with the shared independent SCRAM client.</summary>
    private static async Task<List<(char Type, byte[] Payload)>> AuthenticateAsync(RawClient client, string user, string password)
    {
        await client.SendAsync(RawClient.StartupMessage(user, "marketing"));
        return await RawLogin.AuthenticateAsync(client, user, password);
    }

    private static async Task<byte[]> ExpectAsync(RawClient client, char type)
    {
        var message = await client.ReadMessageAsync() ?? throw new EndOfStreamException($"connection closed while waiting for '{type}'");
        if (message.Type == 'E') throw new ServerErrorException(message.Payload);
        Assert.Equal(type, message.Type);
        return message.Payload;
    }

    private static async Task<List<string>> QueryValuesAsync(RawClient client, string sql)
    {
        await client.SendAsync(RawClient.Query(sql));
        var messages = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(30));
        if (messages.FirstOrDefault(m => m.Type == 'E') is { Payload: not null } e) throw new ServerErrorException(e.Payload);
        return messages.Where(m => m.Type == 'D').Select(m => TextValues(m.Payload)[0] ?? "<null>").ToList();
    }

    private static async Task ExpectFatalThenCloseAsync(RawClient client, string sqlState)
    {
        var message = await client.ReadMessageAsync(ClosePromptly);
        Assert.True(message is not null, $"expected a FATAL {sqlState} ErrorResponse, but the connection was closed without one");
        Assert.Equal('E', message.Value.Type);
        Assert.Equal("FATAL", RawClient.Field(message.Value.Payload, 'S'));
        Assert.Equal(sqlState, RawClient.SqlState(message.Value.Payload));
        Assert.True(await client.IsClosedByServerAsync(ClosePromptly), "the server must close the connection after a FATAL error");
    }

    /// <summary>Reads whole messages until the server closes; returns them and whether the close happened in time.</summary>
    private static async Task<(List<(char Type, byte[] Payload)> Messages, bool Closed)> DrainUntilClosedAsync(RawClient client, TimeSpan timeout)
    {
        var bytes = new List<byte>();
        var closed = await ReadRawUntilClosedAsync(client, bytes, timeout);
        var messages = new List<(char, byte[])>();
        var data = bytes.ToArray();
        var p = 0;
        while (p + 5 <= data.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(p + 1));
            if (length < 4 || p + 1 + length > data.Length) break;
            messages.Add(((char)data[p], data.AsSpan(p + 5, length - 4).ToArray()));
            p += 1 + length;
        }
        Assert.True(p == data.Length, $"trailing bytes that are not a whole message: {Convert.ToHexString(data.AsSpan(p).ToArray())}");
        return (messages, closed);
    }

    private static async Task<bool> ReadRawUntilClosedAsync(RawClient client, List<byte> received, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await client.Stream.ReadAsync(buffer, cts.Token);
                if (n == 0) return true;
                received.AddRange(buffer.AsSpan(0, n).ToArray());
            }
        }
        catch (IOException)
        {
            return true; // reset by the server
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<(char Type, byte[] Payload)?> TryReadMessageAsync(RawClient client, TimeSpan timeout)
    {
        try
        {
            return await client.ReadMessageAsync(timeout);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static void AssertOnlyFatal(List<(char Type, byte[] Payload)> messages, string sqlState)
    {
        Assert.True(messages.Count <= 1, $"expected at most one ErrorResponse, got {Types(messages)}");
        foreach (var (type, payload) in messages)
        {
            Assert.Equal('E', type);
            Assert.Equal("FATAL", RawClient.Field(payload, 'S'));
            Assert.Equal(sqlState, RawClient.SqlState(payload));
        }
    }

    private async Task SendCancelAsync(int pid, int key)
    {
        await using var cancel = await RawClient.ConnectAsync(fixture);
        await cancel.SendAsync([.. RawClient.BigEndian(16), .. RawClient.BigEndian(80877102), .. RawClient.BigEndian(pid), .. RawClient.BigEndian(key)]);
        Assert.True(await cancel.IsClosedByServerAsync(ClosePromptly));
    }

    private static (int Pid, int Key) BackendKey(List<(char Type, byte[] Payload)> messages)
    {
        var k = Assert.Single(messages, m => m.Type == 'K').Payload;
        return (BinaryPrimitives.ReadInt32BigEndian(k), BinaryPrimitives.ReadInt32BigEndian(k.AsSpan(4)));
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout) return false;
            await Task.Delay(50);
        }
        return true;
    }

    private static string Types(IEnumerable<(char Type, byte[] Payload)> messages) => new(messages.Select(m => m.Type).ToArray());

    private static string CString(byte[] payload) => Encoding.UTF8.GetString(payload, 0, Array.IndexOf(payload, (byte)0));

    private static List<string> CStrings(ReadOnlySpan<byte> data)
    {
        var list = new List<string>();
        while (data.Length > 0 && data[0] != 0)
        {
            var end = data.IndexOf((byte)0);
            list.Add(Encoding.UTF8.GetString(data[..end]));
            data = data[(end + 1)..];
        }
        return list;
    }

    private static string FirstFieldName(byte[] rowDescription) => CString(rowDescription[2..]);

    private static List<string?> TextValues(byte[] dataRow)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(dataRow);
        var values = new List<string?>(count);
        var p = 2;
        for (var i = 0; i < count; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(dataRow.AsSpan(p));
            p += 4;
            if (length < 0)
            {
                values.Add(null);
                continue;
            }
            values.Add(Encoding.UTF8.GetString(dataRow, p, length));
            p += length;
        }
        return values;
    }
}
