using DataMesh.Gateway.Sql;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Tests.Sql;

public sealed class SqlLexerTests
{
    [Theory]
    [InlineData("select 1; select 2", 2)]
    [InlineData("select ';'; select 2;", 2)]
    [InlineData("select $$a;b$$; select $tag$ ; $$ ; $tag$", 2)]
    [InlineData("select 1 -- comment; not a statement\n; select 2", 2)]
    [InlineData("select /* a /* nested; */ still comment; */ 1", 1)]
    [InlineData("select E'it\\'s; fine'", 1)]
    [InlineData("select \"semi;colon\" from t", 1)]
    [InlineData(" ; ;; ", 0)]
    [InlineData("", 0)]
    [InlineData("-- only a comment", 0)]
    public void Splits_at_top_level_semicolons_only(string sql, int count) =>
        Assert.Equal(count, StatementSplitter.Split(sql).Count);

    [Fact]
    public void Statement_text_excludes_the_semicolon()
    {
        var statements = StatementSplitter.Split("SET a = 1;  SHOW a ;");
        Assert.Equal(["SET a = 1", "SHOW a"], statements.Select(s => s.Text));
        Assert.True(statements[0].StartsWith("SET"));
    }

    [Fact]
    public void Strings_are_decoded()
    {
        var tokens = SqlLexer.Tokenize("SET x = 'it''s' E'a\\nb' $q$raw'$q$");
        Assert.Equal(["it's", "a\nb", "raw'"], tokens.Where(t => t.Kind == SqlTokenKind.String).Select(t => t.Value));
    }

    [Fact]
    public void Parameter_casts_touch_only_real_parameters()
    {
        var sql = "SELECT $1, '$1', \"$1\", /* $1 */ $2 -- $1\n";
        var cast = ParameterCasts.Apply(sql, [23, 25], oid => oid == 23 ? "INTEGER" : "VARCHAR");
        Assert.Equal("SELECT CAST($1 AS INTEGER), '$1', \"$1\", /* $1 */ CAST($2 AS VARCHAR) -- $1\n", cast);
    }

    [Fact]
    public void Undeclared_parameters_are_left_alone() =>
        Assert.Equal("SELECT $1", ParameterCasts.Apply("SELECT $1", [0], _ => "INTEGER"));
}
