using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>Fuzzer-found startup inputs, over a real socket: the client gets a FATAL error, the server goes on.</summary>
[Collection(GatewayCollection.Name)]
public sealed class HostileStartupTests(GatewayFixture gateway)
{
    [Fact]
    public async Task A_startup_packet_that_is_not_utf8_gets_fatal_22021_and_the_server_goes_on()
    {
        await using (var client = await RawClient.ConnectAsync(gateway))
        {
            byte[] body = [.. RawClient.BigEndian(196608), .. "user\0"u8, 0xC3, 0x28, 0, 0];
            await client.SendAsync([.. RawClient.BigEndian(body.Length + 4), .. body]);
            var error = await client.ReadMessageAsync(TimeSpan.FromSeconds(10));
            Assert.Equal('E', error!.Value.Type);
            Assert.Equal("22021", RawClient.SqlState(error.Value.Payload));
            Assert.Equal("FATAL", RawClient.Field(error.Value.Payload, 'S'));
            Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
        }
        await using var next = await RawLogin.ConnectAsync(gateway);
        await next.SendAsync(RawClient.Query("SELECT 1"));
        var replies = await next.ReadUntilAsync('Z');
        Assert.Contains(replies, m => m.Type == 'D');
    }

    [Fact]
    public async Task A_password_message_that_is_not_utf8_gets_a_fatal_error()
    {
        await using var client = await RawClient.ConnectAsync(gateway);
        await client.SendAsync(RawClient.StartupMessage("alice", "marketing"));
        var sasl = await client.ReadMessageAsync(TimeSpan.FromSeconds(10));
        Assert.Equal('R', sasl!.Value.Type);
        // A SASLInitialResponse whose mechanism name is not UTF-8.
        await client.SendAsync(RawClient.Message('p', [0xFF, 0xFE, 0, .. RawClient.BigEndian(0)]));
        var error = await client.ReadMessageAsync(TimeSpan.FromSeconds(10));
        Assert.Equal('E', error!.Value.Type);
        Assert.Equal("FATAL", RawClient.Field(error.Value.Payload, 'S'));
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(5)));
    }
}
