using DataMesh.Gateway.Sql.Statements;
using static DataMesh.Gateway.Tests.Sql.Statements.GrammarAssert;

namespace DataMesh.Gateway.Tests.Sql.Statements;

/// <summary>LISTEN, UNLISTEN and NOTIFY read once in Sql; syntax errors with PostgreSQL 15's message and position.</summary>
public sealed class ListenGrammarTests
{
    [Fact]
    public void Channels_are_identifiers_folded_unless_quoted()
    {
        Assert.Equal("datamesh_requests", Accepted<ListenStatement>("LISTEN DataMesh_Requests").Channel);
        Assert.Equal("Mixed", Accepted<ListenStatement>("LISTEN \"Mixed\";").Channel);
        Assert.Equal("c", Accepted<UnlistenStatement>("UNLISTEN c").Channel);
        Assert.Null(Accepted<UnlistenStatement>("UNLISTEN *").Channel);
        Assert.Equal(("c", (string?)null), (Accepted<NotifyStatement>("NOTIFY c").Channel, Accepted<NotifyStatement>("NOTIFY c").Payload));
        var notify = Accepted<NotifyStatement>("NOTIFY c, 'hello'");
        Assert.Equal(("c", "hello"), (notify.Channel, notify.Payload));
    }

    [Theory]
    [InlineData("LISTEN", "syntax error at end of input", 7)]
    [InlineData("  LISTEN", "syntax error at end of input", 9)]
    [InlineData("LISTEN;", "syntax error at or near \";\"", 7)]
    [InlineData("LISTEN a b", "syntax error at or near \"b\"", 10)]
    [InlineData("SELECT 1; LISTEN a b", "syntax error at or near \"b\"", 20)]
    [InlineData("LISTEN a b; SELECT 1", "syntax error at or near \"b\"", 10)]
    [InlineData("LISTEN 'a'", "syntax error at or near \"'a'\"", 8)]
    [InlineData("UNLISTEN", "syntax error at end of input", 9)]
    [InlineData("UNLISTEN * x", "syntax error at or near \"x\"", 12)]
    [InlineData("NOTIFY", "syntax error at end of input", 7)]
    [InlineData("NOTIFY a b", "syntax error at or near \"b\"", 10)]
    [InlineData("NOTIFY a,", "syntax error at end of input", 10)]
    [InlineData("NOTIFY a, b", "syntax error at or near \"b\"", 11)]
    [InlineData("NOTIFY a, 'x' y", "syntax error at or near \"y\"", 15)]
    public void Malformed_listen_is_a_syntax_error_where_postgresql_points(string sql, string message, int position) =>
        Assert.Equal(("42601", message, position), Refusal(sql));
}
