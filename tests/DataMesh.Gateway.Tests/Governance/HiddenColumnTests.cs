using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// customer_email is excluded from ml_research's grant: it does not exist for bob. Naming it anywhere is 42703 (like
/// any missing column), and no whole-row or pattern form ever returns its values.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HiddenColumnTests(GatewayFixture gateway)
{
    private static readonly string[] VisibleColumns = ["item_id", "sales_qty_sld", "region", "sale_date", "amount"];

    [Theory]
    [Adversarial(AttackClass.HiddenColumn)]
    [InlineData("SELECT customer_email FROM mkt_sls_table LIMIT 1")]
    [InlineData("SELECT count(*) FROM mkt_sls_table WHERE customer_email LIKE 'customer1%'")]
    [InlineData("SELECT item_id FROM mkt_sls_table ORDER BY customer_email LIMIT 1")]
    [InlineData("SELECT count(*) FROM mkt_sls_table GROUP BY customer_email")]
    [InlineData("SELECT count(*) FROM mkt_sls_table a JOIN mkt_sls_table b ON a.customer_email = b.customer_email")]
    [InlineData("SELECT t.customer_email FROM mkt_sls_table t LIMIT 1")]
    [InlineData("SELECT marketing.mkt_sls_table.customer_email FROM marketing.mkt_sls_table LIMIT 1")]
    [InlineData("SELECT \"customer_email\" FROM mkt_sls_table LIMIT 1")]
    [InlineData("SELECT \"CUSTOMER_EMAIL\" FROM mkt_sls_table LIMIT 1")]
    [InlineData("SELECT count(DISTINCT customer_email) FROM mkt_sls_table")]
    [InlineData("SELECT (SELECT max(customer_email) FROM mkt_sls_table)")]
    [InlineData("SELECT count(*) FROM mkt_sls_table a JOIN mkt_sls_table b USING (customer_email)")]
    [InlineData("SELECT * REPLACE (customer_email AS region) FROM mkt_sls_table LIMIT 1")]
    [InlineData("SELECT count(*) FROM mkt_sls_table QUALIFY row_number() OVER (PARTITION BY customer_email) = 1")]
    [InlineData("SELECT item_id FROM mkt_sls_table WHERE item_id IN (SELECT item_id FROM mkt_sls_table WHERE customer_email = 'customer4@example.com')")]
    public async Task Naming_the_hidden_column_is_42703(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.ErrorAsync(sql, "42703");
    }

    [Fact]
    [Adversarial(AttackClass.HiddenColumn)]
    public async Task The_hidden_column_fails_exactly_like_a_column_that_does_not_exist()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var hidden = await s.ErrorAsync("SELECT customer_email FROM mkt_sls_table", "42703");
        var missing = await s.ErrorAsync("SELECT customer_emaix FROM mkt_sls_table", "42703");
        Assert.Equal(missing.MessageText.Replace("customer_emaix", "X", StringComparison.Ordinal),
            hidden.MessageText.Replace("customer_email", "X", StringComparison.Ordinal));
        // A near miss must not be answered with a "did you mean customer_email" candidate list.
        Assert.DoesNotContain("customer_email", missing.MessageText + missing.Hint + missing.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [Adversarial(AttackClass.HiddenColumn)]
    [CoversTableRef(TableRefKind.Subquery, "SELECT * FROM (SELECT * FROM mkt_sls_table) s")]
    [InlineData("SELECT * FROM mkt_sls_table LIMIT 3")]
    [InlineData("SELECT m.* FROM marketing.mkt_sls_table m LIMIT 3")]
    [InlineData("SELECT * FROM (SELECT * FROM mkt_sls_table) s LIMIT 3")]
    [InlineData("SELECT COLUMNS(*) FROM mkt_sls_table LIMIT 3")]
    [InlineData("SELECT COLUMNS('.*') FROM mkt_sls_table LIMIT 3")]
    [InlineData("SELECT * EXCLUDE (amount) , amount FROM mkt_sls_table LIMIT 3")]
    [InlineData("WITH c AS (SELECT * FROM mkt_sls_table) SELECT * FROM c LIMIT 3")]
    [InlineData("SELECT * FROM mkt_sls_table UNION ALL BY NAME SELECT * FROM mkt_sls_table LIMIT 3")]
    public async Task Star_forms_expand_to_the_five_visible_columns(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var (columns, rows) = await s.TableAsync(sql);
        Assert.Equal(VisibleColumns, columns, StringComparer.OrdinalIgnoreCase);
        Assert.All(GovernedSession.Texts(rows), v => Assert.DoesNotContain("@example.com", v, StringComparison.Ordinal));
        Assert.NotEmpty(rows);
    }

    [Theory]
    [Adversarial(AttackClass.HiddenColumn)]
    [InlineData("SELECT COLUMNS('.*email.*') FROM mkt_sls_table LIMIT 3")]
    [InlineData("SELECT COLUMNS(c -> c LIKE 'customer%') FROM mkt_sls_table LIMIT 3")]
    [InlineData("SELECT * EXCLUDE (customer_email) FROM mkt_sls_table LIMIT 3")]
    [InlineData("SELECT t FROM mkt_sls_table t LIMIT 3")]
    [InlineData("SELECT t::VARCHAR FROM mkt_sls_table t LIMIT 3")]
    [InlineData("SELECT row_to_json(t) FROM mkt_sls_table t LIMIT 3")]
    [InlineData("SELECT to_json(t) FROM mkt_sls_table t LIMIT 3")]
    [InlineData("SELECT struct_pack(*)::VARCHAR FROM mkt_sls_table LIMIT 3")]
    [InlineData("SELECT list(t)::VARCHAR FROM (SELECT * FROM mkt_sls_table LIMIT 3) t")]
    [InlineData("SELECT #6 FROM mkt_sls_table LIMIT 3")]
    [InlineData("SELECT count(*) FROM mkt_sls_table NATURAL JOIN (SELECT 'customer4@example.com' AS customer_email) x")]
    [InlineData("SELECT * FROM (UNPIVOT (SELECT * FROM mkt_sls_table LIMIT 3) ON COLUMNS(* EXCLUDE (item_id))::VARCHAR INTO NAME k VALUE v)")]
    public async Task Pattern_and_whole_row_forms_never_return_the_hidden_values(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var (error, rows) = await s.TryAsync(sql);
        if (error is not null) return; // refused or a binder error: fine, the guard already checked its text
        foreach (var v in GovernedSession.Texts(rows))
        {
            Assert.DoesNotContain("@example.com", v, StringComparison.Ordinal);
            Assert.DoesNotContain("customer_email", v, StringComparison.OrdinalIgnoreCase);
        }
        if (sql.Contains("NATURAL JOIN", StringComparison.Ordinal))
            Assert.Equal(250_000L, Convert.ToInt64(Assert.Single(rows)[0]));
    }
}
