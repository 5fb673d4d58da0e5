using DataMesh.Gateway.Sql.Statements;
using static DataMesh.Gateway.Tests.Sql.Statements.GrammarAssert;

namespace DataMesh.Gateway.Tests.Sql.Statements;

/// <summary>SET's value grammar read once in Sql; syntax errors with PostgreSQL 15's message and position.</summary>
public sealed class SetValueGrammarTests
{
    private static SetArgument S(string value) => new(value, SetArgumentKind.String);

    private static SetArgument N(string value) => new(value, SetArgumentKind.Number);

    [Fact]
    public void Values_are_strings_identifiers_keywords_and_signed_numbers()
    {
        Assert.Equal([S("$user"), S("public"), S("Quoted")], Accepted<SetStatement>("SET search_path = '$user', PUBLIC, \"Quoted\"").Arguments);
        Assert.Equal([N("-1.5")], Accepted<SetStatement>("SET extra_float_digits TO -1.5").Arguments);
        Assert.Equal([N("3")], Accepted<SetStatement>("SET extra_float_digits TO +3").Arguments);
        Assert.Equal([S("on")], Accepted<SetStatement>("SET LOCAL x.y = on").Arguments);
        var zone = Accepted<SetStatement>("SET TIME ZONE 'UTC'");
        Assert.Equal(("TimeZone", (string?)null), (zone.Name, zone.IntervalZone));
        Assert.Equal([S("UTC")], zone.Arguments);
        var reset = Accepted<SetStatement>("SET search_path TO DEFAULT");
        Assert.Equal((true, 0), (reset.ToDefault, reset.Arguments.Count));
    }

    [Theory]
    [InlineData("SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE", "+02:00")]
    [InlineData("SET TIME ZONE INTERVAL '-08:00'", "-08:00")]
    [InlineData("SET TIME ZONE INTERVAL '3' HOUR", "3 hour")] // a bare number counts in the qualifier's last field
    [InlineData("SET TIME ZONE INTERVAL '90' minute", "90 minute")]
    [InlineData("SET TIME ZONE INTERVAL '1' DAY TO SECOND", "1 second")]
    public void Set_time_zone_interval_keeps_the_intervals_input_text(string sql, string input)
    {
        var set = Accepted<SetStatement>(sql);
        Assert.Equal(("TimeZone", input, 0), (set.Name, set.IntervalZone, set.Arguments.Count));
    }

    [Theory]
    [InlineData("SET", "syntax error at end of input", 4)]
    [InlineData("SET x", "syntax error at end of input", 6)]
    [InlineData("SET x TO", "syntax error at end of input", 9)]
    [InlineData("SET x TO;", "syntax error at or near \";\"", 9)]
    [InlineData("SET x TO 1,", "syntax error at end of input", 12)]
    [InlineData("SET x TO 1 2", "syntax error at or near \"2\"", 12)]
    [InlineData("SET x = (1)", "syntax error at or near \"(\"", 9)]
    [InlineData("SET TIME ZONE 'UTC', 'x'", "syntax error at or near \",\"", 20)]
    [InlineData("SET TIME ZONE INTERVAL", "syntax error at end of input", 23)]
    [InlineData("SET TIME ZONE interval", "syntax error at end of input", 23)]
    [InlineData("SET TIME ZONE INTERVAL '1' FOO", "syntax error at or near \"FOO\"", 28)]
    [InlineData("SET TIME ZONE INTERVAL '1' HOUR TO HOUR", "syntax error at or near \"HOUR\"", 36)]
    [InlineData("SET TIME ZONE INTERVAL '1' HOUR TO", "syntax error at end of input", 35)]
    [InlineData("SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE x", "syntax error at or near \"x\"", 48)]
    [InlineData("SHOW", "syntax error at end of input", 5)]
    [InlineData("RESET", "syntax error at end of input", 6)]
    [InlineData("DISCARD", "syntax error at end of input", 8)]
    [InlineData("DISCARD x", "syntax error at or near \"x\"", 9)]
    public void Malformed_set_is_a_syntax_error_where_postgresql_points(string sql, string message, int position) =>
        Assert.Equal(("42601", message, position), Refusal(sql));
}
