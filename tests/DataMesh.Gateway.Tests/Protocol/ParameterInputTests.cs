using System.Text;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types;
using DataMesh.Gateway.Protocol.Types.Codecs;
using DataMesh.Gateway.Protocol.Types.Input;

namespace DataMesh.Gateway.Tests.Protocol;

/// <summary>
/// Text parameters are read by PostgreSQL's input rules (date_in, timestamp_in, timestamptz_in, time_in, numeric_in,
/// boolin, interval_in). <c>pg15-input.txt</c> holds 195 inputs and what PostgreSQL 15.18 answered for each when cast
/// to the type (<c>SELECT 'input'::type::text</c> with DateStyle ISO, MDY, TimeZone UTC and IntervalStyle postgres, or
/// the SQLSTATE and message of its error); each one decoded as a Bind parameter must give the same value, written back
/// by the gateway's own text output, or the same error.
/// </summary>
public sealed class ParameterInputTests
{
    public static TheoryData<string, string, string> PostgresAnswers()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Protocol", "pg15-input.txt")))
        {
            var fields = line.Split('|', 3);
            data.Add(fields[0], fields[1], fields[2]);
        }
        return data;
    }

    private static readonly Dictionary<string, int> Oids = new()
    {
        ["date"] = PgTypes.Date, ["timestamp"] = PgTypes.Timestamp, ["timestamptz"] = PgTypes.TimestampTz, ["time"] = PgTypes.Time,
        ["numeric"] = PgTypes.Numeric, ["bool"] = PgTypes.Bool, ["interval"] = PgTypes.Interval,
    };

    [Theory]
    [MemberData(nameof(PostgresAnswers))]
    public void A_text_parameter_reads_as_PostgreSQL_reads_it(string type, string input, string answer)
    {
        if (answer.StartsWith("err|", StringComparison.Ordinal))
        {
            var parts = answer.Split('|', 3);
            var e = Assert.Throws<PgErrorException>(() => ParameterDecoder.DecodeText(Oids[type], input));
            Assert.Equal((parts[1], parts[2]), (e.SqlState, e.Message));
            return;
        }
        var value = ParameterDecoder.DecodeText(Oids[type], input);
        Assert.Equal(answer["ok|".Length..], AsText(value));
    }

    /// <summary>The value as the gateway writes it in a DataRow (text format), PostgreSQL's output form.</summary>
    private static string AsText(object value)
    {
        var buffer = new byte[256];
        int n;
        switch (value)
        {
            case PgDate d: DateTimeCodecs.TryWriteDateText(d.UnixDays, buffer, out n); break;
            case PgTimestamp t: DateTimeCodecs.TryWriteTimestampText(t.UnixMicros, t.WithZone, buffer, out n); break;
            case PgTime t: DateTimeCodecs.TryWriteTimeText(t.Micros, buffer, out n); break;
            case PgInterval i: return IntervalCodec.FormatText(i);
            case PgNumeric x: return x.Text;
            case bool b: return b ? "true" : "false";
            default: throw new InvalidOperationException(value.GetType().Name);
        }
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    [Theory]
    [InlineData("01/02/2024", DateOrder.MDY, "2024-01-02")]
    [InlineData("01/02/2024", DateOrder.DMY, "2024-02-01")]
    [InlineData("01-02-03", DateOrder.YMD, "2001-02-03")]
    [InlineData("2024-01-02", DateOrder.DMY, "2024-01-02")]
    public void DateStyle_orders_ambiguous_dates(string input, DateOrder order, string expected)
    {
        var value = (PgDate)ParameterDecoder.DecodeText(PgTypes.Date, input, new ParameterInput(order));
        Assert.Equal(expected, AsText(value));
    }

    [Fact]
    public void Today_tomorrow_yesterday_and_now_come_from_the_clock()
    {
        var clock = new FixedClock(new DateTimeOffset(2024, 2, 29, 13, 45, 0, TimeSpan.Zero));
        var input = new ParameterInput(Clock: clock);
        Assert.Equal("2024-02-29", AsText(ParameterDecoder.DecodeText(PgTypes.Date, "today", input)));
        Assert.Equal("2024-03-01", AsText(ParameterDecoder.DecodeText(PgTypes.Date, "tomorrow", input)));
        Assert.Equal("2024-02-28 00:00:00", AsText(ParameterDecoder.DecodeText(PgTypes.Timestamp, "yesterday", input)));
        Assert.Equal("2024-02-29 13:45:00+00", AsText(ParameterDecoder.DecodeText(PgTypes.TimestampTz, "now", input)));
    }

    [Fact]
    public void With_IntervalStyle_sql_standard_a_leading_minus_covers_every_field()
    {
        Assert.Equal("-1 days -02:03:04", IntervalCodec.FormatText(IntervalInput.Parse("-1 2:03:04", sqlStandardStyle: true)));
        Assert.Equal("-1 days +02:03:04", IntervalCodec.FormatText(IntervalInput.Parse("-1 2:03:04")));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
