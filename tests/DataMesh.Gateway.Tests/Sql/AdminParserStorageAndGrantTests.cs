using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Tests.Sql;

/// <summary>The admin grammar of issue 14: DESCRIBE PROJECT and APPROVE SUBSCRIPTION n ADD COLUMNS.</summary>
public sealed class AdminParserStorageAndGrantTests
{
    private static SqlStatement Statement(string sql) => Assert.Single(StatementSplitter.Split(sql));

    private static T Parse<T>(string sql) where T : AdminStatement
    {
        Assert.True(AdminParser.TryParse(Statement(sql), out var result));
        return Assert.IsType<T>(result);
    }

    [Fact]
    public void Describe_project()
    {
        Assert.Equal(new DescribeProject("marketing"), Parse<DescribeProject>("DESCRIBE PROJECT marketing"));
        Assert.Equal(new DescribeProject("Sales Team"), Parse<DescribeProject>("describe project \"Sales Team\""));
        // A table called "project" is still the engine's to describe when quoted.
        Assert.False(AdminParser.TryParse(Statement("DESCRIBE \"project\""), out _));
    }

    [Fact]
    public void Approve_subscription_add_columns()
    {
        var s = Parse<ApproveSubscriptionColumns>("APPROVE SUBSCRIPTION 7 ADD COLUMNS (customer_phone)");
        Assert.Equal(7L, s.Id);
        Assert.Equal(["customer_phone"], s.Columns);
        Assert.Null(s.Comment);
        s = Parse<ApproveSubscriptionColumns>("approve subscription 7 add columns (a, \"B\") comment 'new in revision 4'");
        Assert.Equal(["a", "B"], s.Columns);
        Assert.Equal("new in revision 4", s.Comment);
        Assert.Equal("APPROVE SUBSCRIPTION", s.Tag);
    }

    [Theory]
    [InlineData("APPROVE SUBSCRIPTION 1 ADD COLUMN (x)", "COLUMN")]
    [InlineData("APPROVE SUBSCRIPTION 1 ADD COLUMNS (x) EXCLUDE COLUMNS (y)", "EXCLUDE")]
    [InlineData("APPROVE SUBSCRIPTION 1 ADD COLUMNS ()", ")")]
    [InlineData("APPROVE SUBSCRIPTION 1 ADD COLUMNS (a, a)", "a)")]
    [InlineData("DESCRIBE PROJECT 'marketing'", "'marketing'")]
    [InlineData("DESCRIBE PROJECT", "")]
    public void Malformed_statements_are_reported_where_they_go_wrong(string sql, string marker)
    {
        var error = Assert.Throws<AdminSyntaxException>(() => AdminParser.TryParse(Statement(sql), out _));
        Assert.Equal(marker.Length == 0 ? sql.Length : sql.IndexOf(marker, StringComparison.Ordinal), error.Offset);
    }
}
