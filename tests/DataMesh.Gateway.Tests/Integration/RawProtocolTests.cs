using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// Wire-level tests with hand-built bytes: hostile or malformed input must end in a FATAL error and/or a closed
/// connection, never in a hang or a dead server; every test checks that a fresh client still gets served.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class RawProtocolTests(GatewayFixture fixture)
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
}
