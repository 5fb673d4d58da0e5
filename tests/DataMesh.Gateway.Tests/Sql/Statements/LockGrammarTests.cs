using DataMesh.Gateway.Sql.Statements;
using static DataMesh.Gateway.Tests.Sql.Statements.GrammarAssert;

namespace DataMesh.Gateway.Tests.Sql.Statements;

/// <summary>LOCK TABLE read once in Sql: tables, mode and NOWAIT; syntax errors with PostgreSQL 15's message and position.</summary>
public sealed class LockGrammarTests
{
    [Fact]
    public void Tables_mode_and_nowait_are_read()
    {
        var lockTables = Accepted<LockTableStatement>("LOCK TABLE ONLY marketing.\"Sales\" *, t IN SHARE ROW EXCLUSIVE MODE NOWAIT");
        Assert.Equal([new LockTarget("marketing", "Sales", "marketing.\"Sales\""), new LockTarget("", "t", "t")], lockTables.Tables);
        Assert.Equal(("SHARE ROW EXCLUSIVE", true), (lockTables.Mode, lockTables.NoWait));
        var plain = Accepted<LockTableStatement>("lock T");
        Assert.Equal([new LockTarget("", "t", "T")], plain.Tables);
        Assert.Equal(("ACCESS EXCLUSIVE", false), (plain.Mode, plain.NoWait));
        Assert.Equal("ACCESS SHARE", Accepted<LockTableStatement>("LOCK t IN access share MODE").Mode);
        Assert.Equal("SHARE", Accepted<LockTableStatement>("LOCK t IN SHARE MODE").Mode);
    }

    // Messages and positions as PostgreSQL 15 answers them (checked with psql and ruby-pg against postgresql-15).
    [Theory]
    [InlineData("LOCK", "syntax error at end of input", 5)]
    [InlineData("LOCK;", "syntax error at or near \";\"", 5)]
    [InlineData("LOCK TABLE", "syntax error at end of input", 11)]
    [InlineData("LOCK t IN", "syntax error at end of input", 10)]
    [InlineData("LOCK t IN SHARE", "syntax error at end of input", 16)]
    [InlineData("LOCK t IN FOO MODE", "syntax error at or near \"FOO\"", 11)]
    [InlineData("LOCK t IN ROW MODE", "syntax error at or near \"MODE\"", 15)]
    [InlineData("LOCK t IN MODE", "syntax error at or near \"MODE\"", 11)]
    [InlineData("LOCK t x", "syntax error at or near \"x\"", 8)]
    [InlineData("LOCK t,", "syntax error at end of input", 8)]
    [InlineData("LOCK 1", "syntax error at or near \"1\"", 6)]
    [InlineData("LOCK s.", "syntax error at end of input", 8)]
    [InlineData("LOCK t IN SHARE MODE NOWAIT x", "syntax error at or near \"x\"", 29)]
    [InlineData("SELECT 1;  LOCK t x", "syntax error at or near \"x\"", 19)]
    public void Malformed_lock_is_a_syntax_error_where_postgresql_points(string sql, string message, int position) =>
        Assert.Equal(("42601", message, position), Refusal(sql));
}
