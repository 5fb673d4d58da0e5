using System.Text;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Protocol.Types.Codecs;
using DataMesh.Gateway.Protocol.Messages.Frontend;

namespace DataMesh.Gateway.Tests.Protocol;

public sealed class CodecTests
{
    [Theory]
    [InlineData("0", 0, "0")]
    [InlineData("12345", 2, "123.45")]
    [InlineData("-5", 3, "-0.005")]
    [InlineData("100", 0, "100")]
    [InlineData("-170141183460469231731687303715884105728", 0, "-170141183460469231731687303715884105728")]
    [InlineData("99999999999999999999999999999999999999", 38, "0.99999999999999999999999999999999999999")]
    public void Numeric_text(string unscaled, int scale, string expected)
    {
        Span<byte> buffer = stackalloc byte[64];
        Assert.True(NumericCodec.TryWriteText(Int128.Parse(unscaled), scale, buffer, out var n));
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..n]));
    }

    [Theory]
    // Expected bytes as PostgreSQL's numeric_send produces them: ndigits, weight, sign, dscale, base-10000 digits.
    [InlineData("12345", 2, new short[] { 2, 0, 0, 2, 123, 4500 })]      // 123.45
    [InlineData("-5", 3, new short[] { 1, -1, 0x4000, 3, 50 })]          // -0.005
    [InlineData("0", 2, new short[] { 0, 0, 0, 2 })]                      // 0.00
    [InlineData("100000000", 0, new short[] { 1, 2, 0, 0, 1 })]           // 1 0000 0000
    [InlineData("10001", 0, new short[] { 2, 1, 0, 0, 1, 1 })]            // 1 0001
    public void Numeric_binary_matches_postgres_layout(string unscaled, int scale, short[] expected)
    {
        Span<byte> buffer = stackalloc byte[64];
        Assert.True(NumericCodec.TryWriteBinary(Int128.Parse(unscaled), scale, buffer, out var n));
        var words = new short[n / 2];
        for (var i = 0; i < words.Length; i++) words[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(buffer[(2 * i)..]);
        Assert.Equal(expected, words);
    }

    [Theory]
    [InlineData("123.45")]
    [InlineData("-0.005")]
    [InlineData("100000000")]
    [InlineData("0.00")]
    [InlineData("79228162514264337593543950335")]
    public void Numeric_binary_decodes_back_to_the_same_text(string text)
    {
        var negative = text.StartsWith('-');
        var scale = text.Contains('.') ? text.Length - text.IndexOf('.') - 1 : 0;
        var unscaled = Int128.Parse(text.Replace(".", "").Replace("-", ""));
        Span<byte> buffer = stackalloc byte[64];
        Assert.True(NumericCodec.TryWriteBinary(negative ? -unscaled : unscaled, scale, buffer, out var n));
        Assert.Equal(text, NumericCodec.ReadBinaryAsText(buffer[..n]));
    }

    /// <summary>The codec switches from 64-bit to 128-bit digit loops at ulong.MaxValue: both sides of that edge (and
    /// of the binary path's padding to whole base-10000 groups) must print and round-trip exactly.</summary>
    [Theory]
    [InlineData("18446744073709551614")]
    [InlineData("18446744073709551615")]
    [InlineData("18446744073709551616")]
    [InlineData("-18446744073709551615")]
    [InlineData("-18446744073709551616")]
    [InlineData("-9223372036854775808")]
    [InlineData("9999999999999999999")]
    [InlineData("10000000000000000000")]
    [InlineData("1844674407370955161")]
    public void Numeric_at_the_64_bit_edge_prints_and_round_trips(string unscaled)
    {
        Span<byte> buffer = stackalloc byte[64];
        foreach (var scale in new[] { 0, 1, 2, 3, 4, 5, 19, 20 })
        {
            var value = System.Numerics.BigInteger.Parse(unscaled, System.Globalization.CultureInfo.InvariantCulture);
            var digits = System.Numerics.BigInteger.Abs(value).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(scale + 1, '0');
            var expected = (value.Sign < 0 ? "-" : "") + (scale == 0 ? digits : digits[..^scale] + "." + digits[^scale..]);
            Assert.True(NumericCodec.TryWriteText(Int128.Parse(unscaled), scale, buffer, out var n));
            Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..n]));
            Assert.True(NumericCodec.TryWriteBinary(Int128.Parse(unscaled), scale, buffer, out n));
            Assert.Equal(expected, NumericCodec.ReadBinaryAsText(buffer[..n]));
        }
    }

    [Theory]
    [InlineData(0, "1970-01-01")]
    [InlineData(19782, "2024-02-29")]
    [InlineData(-719_163, "0000-12-31")] // ISO year 0 is 1 BC
    [InlineData(int.MaxValue, "infinity")]
    [InlineData(-int.MaxValue, "-infinity")]
    public void Date_text(int unixDays, string expected)
    {
        Span<byte> buffer = stackalloc byte[32];
        Assert.True(DateTimeCodecs.TryWriteDateText(unixDays, buffer, out var n));
        var text = Encoding.ASCII.GetString(buffer[..n]);
        Assert.Equal(expected == "0000-12-31" ? "0001-12-31 BC" : expected, text);
    }

    [Fact]
    public void Date_binary_counts_from_2000()
    {
        Span<byte> buffer = stackalloc byte[4];
        Assert.True(DateTimeCodecs.TryWriteDateBinary(10_957, buffer, out _));
        Assert.Equal(0, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(buffer));
        Assert.Equal(10_957, DateTimeCodecs.ReadDateBinary(buffer));
    }

    [Theory]
    [InlineData(0L, false, "1970-01-01 00:00:00")]
    [InlineData(1_625_401_815_250_000L, false, "2021-07-04 12:30:15.25")]
    [InlineData(1_625_401_815_000_001L, true, "2021-07-04 12:30:15.000001+00")]
    [InlineData(-1L, false, "1969-12-31 23:59:59.999999")]
    public void Timestamp_text(long micros, bool withZone, string expected)
    {
        Span<byte> buffer = stackalloc byte[64];
        Assert.True(DateTimeCodecs.TryWriteTimestampText(micros, withZone, buffer, out var n));
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..n]));
    }

    [Theory]
    [InlineData(0, 0, 0L, "00:00:00")]
    [InlineData(14, 3, 14_706_000_000L, "1 year 2 mons 3 days 04:05:06")]
    [InlineData(0, -1, -7_200_500_000L, "-1 days -02:00:00.5")]
    [InlineData(-12, 0, 0L, "-1 years")]
    public void Interval_text(int months, int days, long micros, string expected)
    {
        Assert.Equal(expected, IntervalCodec.FormatText(new PgInterval(months, days, micros)));
        if (micros >= 0 && days >= 0 && months >= 0) Assert.Equal(new PgInterval(months, days, micros), IntervalCodec.ParseText(expected));
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e20, "1e+20")]
    [InlineData(-2.5e-7, "-2.5e-07")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Float8_text_is_shortest_round_trip(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[64];
        Assert.True(FloatCodecs.TryWriteText(value, buffer, out var n));
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..n]));
        var back = FloatCodecs.ParseText(expected, "double precision");
        Assert.True(back.Equals(value));
    }

    [Fact]
    public void Bytea_text_is_hex_and_parses_both_formats()
    {
        Span<byte> buffer = stackalloc byte[16];
        Assert.True(ByteaCodec.TryWriteText([0xde, 0xad, 0x00], buffer, out var n));
        Assert.Equal("\\xdead00", Encoding.ASCII.GetString(buffer[..n]));
        Assert.Equal(new byte[] { 0xde, 0xad, 0 }, ByteaCodec.ParseText("\\xDEAD00"));
        Assert.Equal(new byte[] { (byte)'a', 0, (byte)'\\' }, ByteaCodec.ParseText("a\\000\\\\"));
    }

    [Fact]
    public void Encoders_report_overflow_instead_of_writing_past_the_span()
    {
        Span<byte> tiny = stackalloc byte[3];
        Assert.False(NumericCodec.TryWriteText(123456, 2, tiny, out _));
        Assert.False(DateTimeCodecs.TryWriteTimestampText(0, true, tiny, out _));
        Assert.False(ByteaCodec.TryWriteText([1, 2, 3], tiny, out _));
        Assert.False(UuidCodec.TryWriteBinary(Guid.NewGuid(), tiny, out _));
    }

    [Theory]
    [InlineData("{1,2,3}", new[] { "1", "2", "3" })]
    [InlineData("{\"a b\",NULL,\"NULL\",\"q\\\"x\"}", new[] { "a b", null, "NULL", "q\"x" })]
    [InlineData("{}", new string[0])]
    public void Array_text_parser(string text, string?[] expected) => Assert.Equal(expected, ArrayTextParser.Parse(text));

    [Theory]
    [InlineData(PgTypes.Bool, "yes", true)]
    [InlineData(PgTypes.Int4, " 42 ", 42)]
    [InlineData(PgTypes.Int8, "-9000000000", -9_000_000_000L)]
    [InlineData(PgTypes.Float8, "Infinity", double.PositiveInfinity)]
    public void Text_parameters_decode_by_oid(int oid, string text, object expected) =>
        Assert.Equal(expected, ParameterDecoder.Decode(oid, FormatCode.Text, Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData(PgTypes.Int4, "x")]
    [InlineData(PgTypes.Int2, "70000")]
    [InlineData(PgTypes.Bool, "maybe")]
    [InlineData(PgTypes.Date, "2024-13-45")]
    [InlineData(PgTypes.Uuid, "not-a-uuid")]
    public void Bad_text_parameters_are_22xxx_errors(int oid, string text)
    {
        var e = Assert.Throws<DataMesh.Gateway.Protocol.Errors.PgErrorException>(() => ParameterDecoder.Decode(oid, FormatCode.Text, Encoding.UTF8.GetBytes(text)));
        Assert.StartsWith("22", e.SqlState);
    }

    [Fact]
    public void Binary_parameter_with_wrong_length_is_22P03()
    {
        var e = Assert.Throws<DataMesh.Gateway.Protocol.Errors.PgErrorException>(() => ParameterDecoder.Decode(PgTypes.Int8, FormatCode.Binary, [1, 2, 3]));
        Assert.Equal("22P03", e.SqlState);
    }
}
