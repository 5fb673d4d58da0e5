using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// Grants that change while sessions are open: revocation (also of prepared statements), expiry, two projects sending
/// the same SQL text (the rewrite cache must be keyed by project and policy version), and masks applied before the
/// user's predicates. Each test builds its own project, user and subscription.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class GrantLifecycleTests(GatewayFixture gateway)
{
    private const string Count = "SELECT count(*) FROM marketing.mkt_sls_table";

    [Fact]
    [Adversarial(AttackClass.Revocation)]
    public async Task A_revoked_grant_stops_working_in_an_open_session_and_for_a_prepared_statement()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "rev");
        var id = await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Asia') EXCLUDE COLUMNS (customer_email)");
        await using var s = await scenario.OpenAsync();
        await using var prepared = new NpgsqlCommand(Count + " WHERE item_id > $1", s.Connection);
        prepared.Parameters.AddWithValue(0L);
        await prepared.PrepareAsync();
        Assert.Equal(250_000L, Convert.ToInt64(await prepared.ExecuteScalarAsync()));
        Assert.Equal(250_000L, await s.CountAsync(Count));

        await scenario.RevokeAsync(id);

        var e = await Assert.ThrowsAsync<PostgresException>(() => prepared.ExecuteScalarAsync());
        Assert.Equal("42501", e.SqlState);
        s.Guard.AssertClean(e, prepared.CommandText);
        await s.ErrorAsync(Count, "42501");
        // A fresh session cannot use it either.
        await using var fresh = await scenario.OpenAsync();
        await fresh.ErrorAsync(Count, "42501");
    }

    [Fact]
    [Adversarial(AttackClass.Revocation)]
    public async Task A_revoked_grant_stops_a_statement_prepared_with_the_unnamed_and_a_named_portal()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "rev2");
        var id = await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Europe')");
        await using var s = await scenario.OpenAsync();
        await using var prepared = new NpgsqlCommand("SELECT max(region) FROM mkt_sls_table", s.Connection);
        await prepared.PrepareAsync();
        Assert.Equal("Europe", await prepared.ExecuteScalarAsync());
        await scenario.RevokeAsync(id);
        var e = await Assert.ThrowsAsync<PostgresException>(() => prepared.ExecuteScalarAsync());
        Assert.Equal("42501", e.SqlState);
        await using var batch = new NpgsqlBatch(s.Connection) { BatchCommands = { new NpgsqlBatchCommand("SELECT 1"), new NpgsqlBatchCommand("SELECT count(*) FROM mkt_sls_table") } };
        var be = await Assert.ThrowsAsync<PostgresException>(() => batch.ExecuteScalarAsync());
        Assert.True(be.SqlState is "42501" or "42P01", be.SqlState);
    }

    [Fact]
    [Adversarial(AttackClass.Revocation)]
    public async Task A_portal_still_streaming_from_a_revoked_grant_is_closed_with_an_error()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "stream");
        var id = await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Europe') EXCLUDE COLUMNS (customer_email)");
        await using var client = await RawClient.ConnectAsync(gateway);
        await client.SendAsync(RawClient.StartupMessage(scenario.User, scenario.Project));
        await RawLogin.AuthenticateAsync(client, scenario.User, scenario.Password);
        await client.SendAsync(RawClient.Query("BEGIN")); // keeps the portal open across Sync
        await client.ReadUntilAsync('Z');
        await client.SendAsync([.. ExtendedMessages.Parse("", "SELECT item_id FROM mkt_sls_table"), .. ExtendedMessages.Bind("p", "", []),
            .. ExtendedMessages.Execute("p", 100), .. ExtendedMessages.Sync()]);
        var first = await client.ReadUntilAsync('Z');
        Assert.Contains(first, m => m.Type == 's'); // PortalSuspended after 100 rows
        Assert.Equal(100, first.Count(m => m.Type == 'D'));

        await scenario.RevokeAsync(id);
        await client.SendAsync([.. ExtendedMessages.Execute("p", 100), .. ExtendedMessages.Sync()]);
        var next = await client.ReadUntilAsync('Z');
        var error = Assert.Single(next, m => m.Type == 'E');
        Assert.Equal("42501", RawClient.SqlState(error.Payload));
        Assert.DoesNotContain(next, m => m.Type == 'D');
    }

    [Fact]
    [Adversarial(AttackClass.Expiry)]
    public async Task An_expired_grant_stops_working_in_an_open_session()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "exp");
        await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Europe') EXPIRES IN INTERVAL '5 seconds'");
        await using var s = await scenario.OpenAsync();
        await using var prepared = new NpgsqlCommand(Count, s.Connection);
        await prepared.PrepareAsync();
        Assert.Equal(250_000L, Convert.ToInt64(await prepared.ExecuteScalarAsync()));
        await Task.Delay(TimeSpan.FromSeconds(6));
        await s.ErrorAsync(Count, "42501");
        var e = await Assert.ThrowsAsync<PostgresException>(() => prepared.ExecuteScalarAsync());
        Assert.Equal("42501", e.SqlState);
    }

    [Fact]
    [Adversarial(AttackClass.SameSqlDifferentGrants)]
    public async Task Two_projects_sending_the_same_SQL_text_get_their_own_grants()
    {
        var asia = await GrantScenario.CreateAsync(gateway, "asia");
        await asia.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Asia') EXCLUDE COLUMNS (customer_email)");
        var wide = await GrantScenario.CreateAsync(gateway, "wide");
        await wide.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region IN ('Asia', 'Europe'))");
        const string sql = "SELECT region, count(*) FROM marketing.mkt_sls_table GROUP BY region ORDER BY region";
        const string star = "SELECT * FROM marketing.mkt_sls_table LIMIT 1";
        await using var a = await asia.OpenAsync();
        await using var w = await wide.OpenAsync();
        await using var bob = await GovernedSession.OpenAsync(gateway);
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(["Asia", "250000"], GovernedSession.Texts(await a.RowsAsync(sql)));
            Assert.Equal(["Asia", "250000", "Europe", "250000"], GovernedSession.Texts(await w.RowsAsync(sql)));
            Assert.Equal(["Europe", "250000"], GovernedSession.Texts(await bob.RowsAsync(sql)));
            Assert.Equal(5, (await a.TableAsync(star)).Columns.Count);
            Assert.Equal(6, (await w.TableAsync(star)).Columns.Count);
            Assert.Equal(5, (await bob.TableAsync(star)).Columns.Count);
        }
        // Prepared in each session with the same text: still per project.
        foreach (var (session, expected) in new[] { (a, 250_000L), (w, 500_000L), (bob, 250_000L) })
        {
            await using var cmd = new NpgsqlCommand(Count, session.Connection);
            await cmd.PrepareAsync();
            Assert.Equal(expected, Convert.ToInt64(await cmd.ExecuteScalarAsync()));
        }
    }

    [Fact]
    [Adversarial(AttackClass.Masking)]
    public async Task Partial_and_year_masks_apply_before_the_user_predicates()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "mask");
        await scenario.SubscribeAsync("mkt_sls_table",
            "WITH ROW FILTER (region = 'Europe') MASK COLUMNS (customer_email USING partial(2, 4), sale_date USING year)");
        await using var s = await scenario.OpenAsync();
        var emails = GovernedSession.Texts(await s.RowsAsync("SELECT customer_email FROM mkt_sls_table ORDER BY item_id LIMIT 20")).ToList();
        Assert.Equal(20, emails.Count);
        Assert.All(emails, e => Assert.DoesNotContain("@example", e, StringComparison.Ordinal));
        Assert.All(emails, e => Assert.StartsWith("cu", e, StringComparison.Ordinal));
        // Predicates, joins, grouping and ordering only ever see the masked values.
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE customer_email LIKE 'customer1%'"));
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE customer_email = 'customer4@example.com'"));
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE customer_email LIKE '%@example.com'"));
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table a JOIN (SELECT 'customer4@example.com' AS e) x ON a.customer_email = x.e"));
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE contains(customer_email, 'tomer')"));
        Assert.True(await s.CountAsync("SELECT count(DISTINCT sale_date) FROM mkt_sls_table") <= 2, "sale_date is masked to its year");
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE sale_date = DATE '2023-05-05'"));
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE extract(month FROM sale_date) > 1 OR extract(day FROM sale_date) > 1"));
    }

    [Theory]
    [Adversarial(AttackClass.Masking)]
    [InlineData("hash")]
    [InlineData("redact")]
    [InlineData("null")]
    public async Task Hash_redact_and_null_masks_hide_the_raw_values_from_every_predicate(string mask)
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "m" + mask);
        await scenario.SubscribeAsync("mkt_sls_table", $"WITH ROW FILTER (region = 'Europe') MASK COLUMNS (customer_email USING {mask})");
        await using var s = await scenario.OpenAsync();
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE customer_email LIKE '%@example.com'"));
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE customer_email IN (SELECT 'customer' || i || '@example.com' FROM range(50000) r(i))"));
        Assert.Equal(0L, await s.CountAsync("SELECT count(*) FROM mkt_sls_table WHERE length(customer_email) BETWEEN 20 AND 26 AND customer_email LIKE 'c%'"));
        var distinct = await s.CountAsync("SELECT count(DISTINCT customer_email) FROM mkt_sls_table");
        switch (mask)
        {
            case "null": Assert.Equal(0L, distinct); break;
            case "redact": Assert.Equal(1L, distinct); break;
            // A keyed hash keeps equality: as many distinct values as distinct e-mails among the Europe rows.
            case "hash": Assert.Equal(12_500L, distinct); break;
        }
        // The hash key is never reachable from SQL.
        await s.ErrorAsync("SELECT current_setting('datamesh_mask_secret')", "42501", "0A000");
        await s.ErrorAsync("SELECT getvariable('datamesh_mask_secret')", "42501", "0A000");
    }
}
