using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types.Codecs;

namespace DataMesh.Gateway.Tests.Protocol;

/// <summary>
/// Date parameters in text, as drivers send them: pgjdbc's setDate sends "2024-02-29 +00" untyped, and PostgreSQL's
/// date input reads a time of day and a zone after the date and ignores them.
/// </summary>
public sealed class DateParameterTests
{
    private static readonly int Leap = new DateOnly(2024, 2, 29).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    [Theory]
    [InlineData("2024-02-29")]
    [InlineData(" 2024-02-29 ")]
    [InlineData("2024-02-29 +00")]
    [InlineData("2024-02-29 +05:30")]
    [InlineData("2024-02-29 -0800")]
    [InlineData("2024-02-29 00:00:00")]
    [InlineData("2024-02-29 13:45:10.123456+01")]
    public void A_date_with_an_optional_time_and_zone_reads_as_the_date(string text) =>
        Assert.Equal(Leap, DateTimeCodecs.ParseDateText(text));

    // As PostgreSQL 15 answers them: a malformed date is 22007, a well-formed one whose fields do not exist 22008.
    [Theory]
    [InlineData("2024-02-29 nonsense", "22007")]
    [InlineData("2024-02-29T", "22007")]
    [InlineData("2024-02-29 +00 extra", "22007")]
    [InlineData("2024-02-30", "22008")]
    [InlineData("29/02/2024", "22008")]
    public void Anything_else_is_refused_as_PostgreSQL_refuses_it(string text, string sqlState)
    {
        var e = Assert.Throws<PgErrorException>(() => DateTimeCodecs.ParseDateText(text));
        Assert.Equal(sqlState, e.SqlState);
    }
}
