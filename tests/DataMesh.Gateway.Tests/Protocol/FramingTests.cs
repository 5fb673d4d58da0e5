using System.Buffers;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Protocol;

public sealed class FramingTests
{
    [Fact]
    public void Reads_one_message_and_leaves_the_rest()
    {
        var bytes = RawClient.Query("select 1").Concat(RawClient.Message('S', [])).ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(MessageFramer.TryRead(ref buffer, 1024, out var type, out var payload));
        Assert.Equal((byte)'Q', type);
        Assert.Equal("select 1", QueryMessage.Parse(payload).Sql);
        Assert.True(MessageFramer.TryRead(ref buffer, 1024, out type, out _));
        Assert.Equal((byte)'S', type);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Incomplete_message_waits_for_more_bytes()
    {
        var bytes = RawClient.Query("select 1");
        var buffer = new ReadOnlySequence<byte>(bytes[..^2]);
        Assert.False(MessageFramer.TryRead(ref buffer, 1024, out _, out _));
    }

    [Theory]
    [InlineData('Q', 3)]
    [InlineData('Q', -1)]
    public void Length_under_four_is_fatal(char type, int length)
    {
        var buffer = new ReadOnlySequence<byte>([(byte)type, .. RawClient.BigEndian(length), 0, 0]);
        var e = Assert.Throws<PgErrorException>(() => MessageFramer.TryRead(ref buffer, 1024, out _, out _));
        Assert.True(e.IsFatal);
        Assert.Equal("08P01", e.SqlState);
    }

    [Fact]
    public void Oversized_length_is_rejected_before_the_body_arrives()
    {
        var buffer = new ReadOnlySequence<byte>([(byte)'Q', .. RawClient.BigEndian(500_000_000)]);
        var e = Assert.Throws<PgErrorException>(() => MessageFramer.TryRead(ref buffer, 1024 * 1024, out _, out _));
        Assert.True(e.IsFatal);
        Assert.Equal("54000", e.SqlState);
    }

    [Fact]
    public void Unknown_type_is_fatal()
    {
        var buffer = new ReadOnlySequence<byte>([(byte)'y', .. RawClient.BigEndian(4)]);
        Assert.True(Assert.Throws<PgErrorException>(() => MessageFramer.TryRead(ref buffer, 1024, out _, out _)).IsFatal);
    }

    [Fact]
    public void Bind_fields_claiming_more_than_the_payload_are_a_protocol_violation()
    {
        // portal "", statement "", 0 formats, 1 parameter claiming 1000 bytes but carrying 2
        byte[] payload = [0, 0, 0, 0, 0, 1, .. RawClient.BigEndian(1000), 1, 2];
        var e = Assert.Throws<PgErrorException>(() => BindMessage.Parse(new ReadOnlySequence<byte>(payload)));
        Assert.Equal("08P01", e.SqlState);
    }

    [Fact]
    public void Startup_packet_separates_protocol_options_and_rejects_version_2()
    {
        var startup = RawClient.StartupMessage("u", "d", 196608 + 2, ("_pq_.compression", "on"), ("application_name", "x"));
        var packet = StartupPacket.Parse(new ReadOnlySequence<byte>(startup[4..]));
        Assert.Equal(StartupPacketKind.Startup, packet.Kind);
        Assert.Equal(2, packet.MinorVersion);
        Assert.Equal(["_pq_.compression"], packet.ProtocolOptions);
        Assert.Equal("x", packet.Parameters["application_name"]);

        var v2 = RawClient.StartupMessage("u", "d", 2 << 16);
        Assert.Equal("0A000", Assert.Throws<PgErrorException>(() => StartupPacket.Parse(new ReadOnlySequence<byte>(v2[4..]))).SqlState);
        Assert.Equal(StartupPacketKind.SslRequest, StartupPacket.Parse(new ReadOnlySequence<byte>(RawClient.SslRequest()[4..])).Kind);
    }
}
