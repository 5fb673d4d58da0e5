using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Tests.Sql;

/// <summary>SHOW AUDIT's filter clauses (in a file of their own: AdminParserTests is past 400 lines).</summary>
public sealed class AdminParserAuditTests
{
    private static SqlStatement Statement(string sql) => Assert.Single(StatementSplitter.Split(sql));

    private static T Parse<T>(string sql) where T : AdminStatement
    {
        Assert.True(AdminParser.TryParse(Statement(sql), out var result));
        return Assert.IsType<T>(result);
    }

    private static AdminSyntaxException Fails(string sql) =>
        Assert.Throws<AdminSyntaxException>(() => AdminParser.TryParse(Statement(sql), out _));

    [Fact]
    public void Show_audit_filters_come_in_any_order()
    {
        var expected = new ShowAudit(20, "bob", new AssetName("marketing", "mkt_sls_table"), "ml_research", "2027-01-01", "2027-02-01");
        Assert.Equal(expected, Parse<ShowAudit>("SHOW AUDIT USER bob ASSET marketing.mkt_sls_table PROJECT ml_research SINCE '2027-01-01' UNTIL '2027-02-01' LIMIT 20"));
        Assert.Equal(expected, Parse<ShowAudit>("show audit limit 20 until '2027-02-01' since '2027-01-01' project ML_RESEARCH asset Marketing.Mkt_Sls_Table user BOB"));
        Assert.Equal(new ShowAudit(100, User: "Bob"), Parse<ShowAudit>("SHOW AUDIT USER \"Bob\""));
    }

    [Theory]
    [InlineData("SHOW AUDIT USER bob USER carol", "USER specified more than once")]
    [InlineData("SHOW AUDIT SINCE '2027-01-01' SINCE '2027-01-02'", "SINCE specified more than once")]
    [InlineData("SHOW AUDIT ASSET marketing", "\".\"")]
    [InlineData("SHOW AUDIT SINCE 2027", "time (string literal)")]
    [InlineData("SHOW AUDIT USER", "user name")]
    public void Show_audit_filters_are_checked(string sql, string expected) => Assert.Contains(expected, Fails(sql).Message);
}
