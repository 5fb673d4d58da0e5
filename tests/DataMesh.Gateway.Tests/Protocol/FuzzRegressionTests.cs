using System.Buffers;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types;

namespace DataMesh.Gateway.Tests.Protocol;

/// <summary>
/// Crashes the wire-decoder fuzz target found (their inputs are in tests/fuzz/protocol/crashes), each pinned down as
/// the error it must be.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static byte[] BigEndian(int v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];

    [Fact]
    public void A_binary_array_element_length_near_int_max_is_22P03_not_an_overrun()
    {
        // ndim 1, no nulls, int4 elements, 1 element, lower bound 1, then an element length that overflows p + len.
        byte[] data = [.. BigEndian(1), .. BigEndian(0), .. BigEndian(PgTypes.Int4), .. BigEndian(1), .. BigEndian(1), .. BigEndian(int.MaxValue - 2), 0, 0, 0, 1];
        var e = Assert.Throws<PgErrorException>(() => ParameterDecoder.Decode(1007, FormatCode.Binary, data));
        Assert.Equal(SqlState.InvalidBinaryRepresentation, e.SqlState);
    }

    [Theory]
    [InlineData("7\u07C0 days")]          // NKo digit zero: .NET's \d matched it, long.Parse refused it (crash-0e12720dd3d3fad7)
    [InlineData("\u0661\u0662:00:00")]    // Arabic-Indic digits in the clock part
    [InlineData("99999999999999999999 days")] // more digits than a long holds
    public void Interval_text_with_non_ascii_or_too_many_digits_is_a_syntax_error(string text)
    {
        var e = Assert.Throws<PgErrorException>(() => ParameterDecoder.Decode(PgTypes.Interval, FormatCode.Text, System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.StartsWith("22", e.SqlState, StringComparison.Ordinal);
    }

    [Fact]
    public void A_startup_parameter_that_is_not_utf8_is_fatal()
    {
        byte[] body = [.. BigEndian(StartupPacket.ProtocolVersion3), .. "user\0"u8, 0xC3, 0x28, 0, 0];
        var e = Assert.Throws<PgErrorException>(() => StartupPacket.Parse(new ReadOnlySequence<byte>(body)));
        Assert.Equal(SqlState.CharacterNotInRepertoire, e.SqlState);
        Assert.True(e.IsFatal, "no session exists to report a plain ERROR to");
    }

    [Fact]
    public void A_password_or_sasl_message_that_is_not_utf8_is_fatal()
    {
        byte[] bad = [0xFF, 0xFE, 0];
        Assert.True(Assert.Throws<PgErrorException>(() => PasswordMessage.Parse(new ReadOnlySequence<byte>(bad))).IsFatal);
        byte[] sasl = [.. bad, .. BigEndian(0)];
        Assert.True(Assert.Throws<PgErrorException>(() => SaslInitialResponse.Parse(new ReadOnlySequence<byte>(sasl))).IsFatal);
    }
}
