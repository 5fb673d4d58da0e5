using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Errors DuckDB raises on the rewritten query (binder, conversion, overflow, syntax, ambiguity) come back as errors
/// about the user's query: no paths, no rewrite aliases, no filter, no "LINE 1:" quoting the rewritten SQL, and a
/// position (when there is one) inside the user's own text.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ErrorTextTests(GatewayFixture gateway)
{
    [Theory]
    [Adversarial(AttackClass.ErrorText)]
    [InlineData("SELECT region + 1 FROM mkt_sls_table")]
    [InlineData("SELECT CAST(region AS INTEGER) FROM mkt_sls_table")]
    [InlineData("SELECT amount::DECIMAL(3, 2) FROM mkt_sls_table")]
    [InlineData("SELECT no_such_function(region) FROM mkt_sls_table")]
    [InlineData("SELECT region FROM mkt_sls_table GROUP BY item_id")]
    [InlineData("SELECT item_id FROM mkt_sls_table a, mkt_sls_table b")]
    [InlineData("SELECT * FROM mkt_sls_table WHERE")]
    [InlineData("SELECT * FROM mkt_sls_table WHERE region = ")]
    [InlineData("SELECT * FROM mkt_sls_table m WHERE m.no_such_column = 1")]
    [InlineData("SELECT * FROM mkt_sls_table m JOIN mkt_sls_table n USING (no_such_column)")]
    [InlineData("SELECT (SELECT item_id FROM mkt_sls_table)")]
    [InlineData("SELECT sum(region) FROM mkt_sls_table")]
    [InlineData("SELECT * FROM mkt_sls_table ORDER BY 9")]
    [InlineData("SELECT * FROM mkt_sls_table LIMIT 'x'")]
    [InlineData("SELECT strptime(region, '%Y') FROM mkt_sls_table")]
    [InlineData("SELECT 1 FROM mkt_sls_table HAVING region = 'x'")]
    public async Task Engine_errors_on_the_rewritten_query_describe_the_user_query_only(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var e = await s.ErrorAsync(sql);
        if (e.Position > 0) Assert.True(e.Position <= sql.Length + 1, $"[{sql}] error position {e.Position} points past the user's text");
        Assert.DoesNotContain("__", e.MessageText, StringComparison.Ordinal);
    }
}
