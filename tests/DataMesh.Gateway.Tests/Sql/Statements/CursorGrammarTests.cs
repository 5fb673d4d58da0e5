using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Tests.Sql.Statements;

/// <summary>The DECLARE and FETCH/MOVE grammar the gateway reads (Sql/Statements/CursorGrammar), without a server.</summary>
public sealed class CursorGrammarTests
{
    private static SqlStatement One(string sql) => Assert.Single(StatementSplitter.Split(sql));

    private static T Parse<T>(string sql) where T : Statement => Assert.IsType<T>(StatementParser.Parse(One(sql)));

    [Theory]
    [InlineData("DECLARE c CURSOR FOR SELECT 1", "c", false, false, "SELECT 1")]
    [InlineData("declare MyCur binary cursor with hold for select a from t;", "mycur", true, true, "select a from t")]
    [InlineData("DECLARE \"SQL_CUR0x1\" NO SCROLL CURSOR WITHOUT HOLD FOR WITH x AS (SELECT 1) SELECT * FROM x", "SQL_CUR0x1", false, false, "WITH x AS (SELECT 1) SELECT * FROM x")]
    [InlineData("DECLARE c INSENSITIVE CURSOR WITH HOLD FOR\n  SELECT $1::int", "c", false, true, "SELECT $1::int")]
    public void Declare_reads_name_options_and_the_query_text(string sql, string name, bool binary, bool hold, string query)
    {
        var d = Parse<DeclareCursorStatement>(sql);
        Assert.Equal(name, d.Name);
        Assert.Equal(binary, d.Binary);
        Assert.Equal(hold, d.Hold);
        Assert.Equal(query, d.Query.Source.Text);
        Assert.Equal(d.Query.Source.Tokens[0].Text, query.Split(' ', '\n')[0]);
    }

    [Theory]
    [InlineData("DECLARE c SCROLL CURSOR FOR SELECT 1", SqlState.FeatureNotSupported)]
    [InlineData("DECLARE c CURSOR SELECT 1", SqlState.SyntaxError)]
    [InlineData("DECLARE c CURSOR FOR", SqlState.SyntaxError)]
    [InlineData("DECLARE CURSOR FOR SELECT 1", SqlState.SyntaxError)]
    [InlineData("DECLARE c FOO CURSOR FOR SELECT 1", SqlState.SyntaxError)]
    public void Malformed_declare_is_refused(string sql, string state) =>
        Assert.Equal(state, Assert.Throws<StatementException>(() => StatementParser.Parse(One(sql))).SqlState);

    [Theory]
    [InlineData("FETCH c", "c", 1L, false)]
    [InlineData("FETCH NEXT FROM c", "c", 1L, false)]
    [InlineData("FETCH 100 IN \"SQL_CUR0x1\"", "SQL_CUR0x1", 100L, false)]
    [InlineData("fetch forward 2000 from \"big\"", "big", 2000L, false)]
    [InlineData("FETCH FORWARD FROM c", "c", 1L, false)]
    [InlineData("FETCH ALL FROM C", "c", FetchStatement.All, false)]
    [InlineData("FETCH FORWARD ALL IN c;", "c", FetchStatement.All, false)]
    [InlineData("MOVE 10 IN c", "c", 10L, true)]
    [InlineData("MOVE ALL c", "c", FetchStatement.All, true)]
    public void Fetch_and_move_read_count_and_name(string sql, string name, long count, bool move)
    {
        var f = Parse<FetchStatement>(sql);
        Assert.Equal((name, count, move), (f.Name, f.Count, f.Move));
    }

    [Theory]
    [InlineData("FETCH BACKWARD 1 FROM c", SqlState.ObjectNotInPrerequisiteState)]
    [InlineData("FETCH PRIOR FROM c", SqlState.ObjectNotInPrerequisiteState)]
    [InlineData("FETCH ABSOLUTE 3 FROM c", SqlState.ObjectNotInPrerequisiteState)]
    [InlineData("FETCH -1 FROM c", SqlState.ObjectNotInPrerequisiteState)]
    [InlineData("FETCH 0 FROM c", SqlState.FeatureNotSupported)]
    [InlineData("FETCH", SqlState.SyntaxError)]
    [InlineData("FETCH 1 FROM", SqlState.SyntaxError)]
    [InlineData("FETCH 1 FROM c d", SqlState.SyntaxError)]
    [InlineData("FETCH 99999999999999999999 FROM c", SqlState.SyntaxError)]
    public void Unsupported_or_malformed_fetch_is_refused(string sql, string state) =>
        Assert.Equal(state, Assert.Throws<StatementException>(() => StatementParser.Parse(One(sql))).SqlState);
}
