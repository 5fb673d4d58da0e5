using DataMesh.Gateway.Sql.Ast;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>Database = project at startup, and how asset names resolve (issue 4, "Session").</summary>
[Collection(GatewayCollection.Name)]
public sealed class SessionAndNameTests(GatewayFixture gateway)
{
    private const long EuropeRows = 250_000;

    [Fact]
    [Adversarial(AttackClass.Session)]
    public async Task A_user_cannot_open_a_project_he_is_not_a_member_of()
    {
        await using var connection = new NpgsqlConnection(gateway.ConnectionString("bob", null, "marketing"));
        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal("42501", e.SqlState);
        Assert.Equal("FATAL", e.InvariantSeverity);
        GovernedSession.GuardFor(gateway).AssertClean(e, "");
    }

    [Theory]
    [Adversarial(AttackClass.Session)]
    [InlineData("no_such_project")]
    [InlineData("Marketing_")]
    [InlineData("acct_marketing")]
    public async Task An_unknown_database_is_3D000(string database)
    {
        await using var connection = new NpgsqlConnection(gateway.ConnectionString("bob", null, database));
        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal("3D000", e.SqlState);
        GovernedSession.GuardFor(gateway).AssertClean(e, database); // echoing the name the user typed is no leak
    }

    [Fact]
    [Adversarial(AttackClass.Session)]
    [CoversStatement(DuckDB.NET.Native.DuckDBStatementType.Select)]
    public async Task The_postgres_database_runs_asset_free_queries_and_reads_no_asset()
    {
        await using var s = await GovernedSession.OpenAsync(gateway, "bob", "postgres");
        Assert.Equal(1L, await s.CountAsync("SELECT 1::BIGINT"));
        Assert.Equal(5L, await s.CountAsync("SELECT count(*) FROM generate_series(1, 5)"));
        var e = await s.ErrorAsync("SELECT count(*) FROM marketing.mkt_sls_table", "42501");
        Assert.Contains("subscription", e.MessageText, StringComparison.OrdinalIgnoreCase);
        await s.ErrorAsync("SELECT count(*) FROM mkt_sls_table", "42501", "42P01");
    }

    [Theory]
    [Adversarial(AttackClass.NameResolution)]
    [CoversTableRef(TableRefKind.BaseTable, "SELECT count(*) FROM marketing.mkt_sls_table")]
    [InlineData("SELECT count(*) FROM marketing.mkt_sls_table")]
    [InlineData("SELECT count(*) FROM mkt_sls_table")]
    [InlineData("SELECT count(*) FROM \"marketing\".\"mkt_sls_table\"")]
    [InlineData("SELECT count(*) FROM MARKETING.MKT_SLS_TABLE")]
    [InlineData("SELECT count(*) FROM \"MKT_SLS_TABLE\"")]
    [InlineData("SELECT count(*) FROM Marketing . Mkt_Sls_Table AS t")]
    [InlineData("FROM mkt_sls_table SELECT count(*)")]
    public async Task Every_spelling_of_the_asset_reads_only_the_granted_rows(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        // Either governed (exactly the Europe rows) or refused; never the hidden rows.
        var (error, rows) = await s.TryAsync(sql);
        if (error is null) Assert.Equal(EuropeRows, Convert.ToInt64(Assert.Single(rows)[0]));
        var (regionError, regions) = await s.TryAsync(sql.Replace("count(*)", "DISTINCT region", StringComparison.Ordinal));
        if (regionError is null) Assert.Equal(["Europe"], GovernedSession.Texts(regions));
        Assert.True(error is null || error.SqlState is "42501" or "42P01", $"{sql}: {error?.SqlState} {error?.MessageText}");
    }

    [Fact]
    [Adversarial(AttackClass.NameResolution)]
    public async Task The_plain_names_work()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        Assert.Equal(EuropeRows, await s.CountAsync("SELECT count(*) FROM marketing.mkt_sls_table"));
        Assert.Equal(EuropeRows, await s.CountAsync("SELECT count(*) FROM mkt_sls_table"));
    }

    [Fact]
    [Adversarial(AttackClass.NameResolution)]
    public async Task A_published_asset_without_subscription_is_42501_with_the_request_command()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        foreach (var sql in new[] { "SELECT * FROM marketing.campaigns", "SELECT count(*) FROM campaigns", "SELECT 1 WHERE EXISTS (SELECT 1 FROM marketing.campaigns)" })
        {
            var e = await s.ErrorAsync(sql, "42501", sql.Contains("marketing.", StringComparison.Ordinal) ? "42501" : "42P01");
            if (e.SqlState != "42501") continue;
            Assert.Contains("subscription", e.MessageText, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("REQUEST SUBSCRIPTION", e.Hint ?? "", StringComparison.Ordinal);
            // The refusal names nothing of the asset beyond its name: no columns, no paths.
            Assert.DoesNotContain("budget", e.MessageText + e.Detail + e.Hint, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    [Adversarial(AttackClass.NameResolution)]
    public async Task An_unpublished_asset_is_indistinguishable_from_a_missing_table()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var draft = await s.ErrorAsync("SELECT * FROM marketing.draft_forecast", "42P01");
        var missing = await s.ErrorAsync("SELECT * FROM marketing.no_such_thing", "42P01");
        Assert.Equal(missing.MessageText.Replace("no_such_thing", "X", StringComparison.Ordinal),
            draft.MessageText.Replace("draft_forecast", "X", StringComparison.Ordinal));
        Assert.Equal(missing.Hint is null, draft.Hint is null);
        Assert.DoesNotContain("forecast_amount", draft.MessageText + draft.Detail + draft.Hint, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [Adversarial(AttackClass.NameResolution)]
    [InlineData("SELECT * FROM no_such_table")]
    [InlineData("SELECT * FROM marketing.no_such_table")]
    [InlineData("SELECT * FROM ml_research.mkt_sls_table")]
    [InlineData("SELECT * FROM finance.mkt_sls_table")]
    [InlineData("SELECT * FROM draft_forecast")]
    public async Task Unknown_tables_are_42P01(string sql)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.ErrorAsync(sql, "42P01");
    }
}
