using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// A workspace table derived from a grant lives no longer than the grant: revoked, expired, superseded by a narrower
/// approval, and every table derived from such a table, become unreadable (42501 naming the subscription) until they
/// are re-created. Each test reads its tables first (the probe), so the refusal afterwards is the grant change's doing;
/// tables derived only from constants keep working beside them.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class WorkspaceLineageTests(GatewayFixture gateway)
{
    private const string Europe = "WITH ROW FILTER (region = 'Europe') EXCLUDE COLUMNS (customer_email)";

    private static void AssertDerivedFrom(PostgresException e, string table, long subscription, string why)
    {
        Assert.Equal("42501", e.SqlState);
        Assert.Equal($"workspace table \"{table}\" was derived from subscription {subscription} to marketing.mkt_sls_table, which {why}", e.MessageText);
        Assert.StartsWith($"Its rows came through subscription {subscription}. Re-create the table", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    [Adversarial(AttackClass.WorkspaceLineage)]
    public async Task A_revoked_subscription_makes_every_table_derived_from_it_unreadable_until_recreated()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "lin");
        var id = await scenario.SubscribeAsync("mkt_sls_table", Europe);
        await using var s = await scenario.OpenAsync();
        await s.RowsAsync("CREATE TABLE workspace.eu AS SELECT * FROM mkt_sls_table WHERE item_id < 1000");
        await s.RowsAsync("CREATE TABLE workspace.eu_copy AS SELECT region, count(*) AS n FROM workspace.eu GROUP BY region");
        await s.RowsAsync("CREATE TABLE workspace.mixed AS SELECT 1 AS x");
        await s.RowsAsync("INSERT INTO workspace.mixed SELECT count(*) FROM mkt_sls_table WHERE item_id < 10");
        await s.RowsAsync("CREATE TABLE workspace.own AS SELECT 42 AS answer");
        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM workspace.eu", s.Connection);
        await prepared.PrepareAsync();
        var rows = Convert.ToInt64(await prepared.ExecuteScalarAsync(), CultureInfo.InvariantCulture); // the probes
        Assert.True(rows > 0);
        Assert.Equal(1L, await s.CountAsync("SELECT count(*) FROM workspace.eu_copy"));
        Assert.Equal(2L, await s.CountAsync("SELECT count(*) FROM workspace.mixed"));

        await scenario.RevokeAsync(id);

        AssertDerivedFrom(await s.ErrorAsync("SELECT count(*) FROM workspace.eu", "42501"), "eu", id, "has been revoked");
        AssertDerivedFrom(await Assert.ThrowsAsync<PostgresException>(() => prepared.ExecuteScalarAsync()), "eu", id, "has been revoked");
        AssertDerivedFrom(await s.ErrorAsync("SELECT * FROM workspace.eu_copy", "42501"), "eu_copy", id, "has been revoked"); // inherited
        AssertDerivedFrom(await s.ErrorAsync("SELECT x FROM workspace.mixed WHERE x = 1", "42501"), "mixed", id, "has been revoked");
        AssertDerivedFrom(await s.ErrorAsync("WITH w AS (SELECT * FROM workspace.eu) SELECT count(*) FROM w", "42501"), "eu", id, "has been revoked");
        AssertDerivedFrom(await s.ErrorAsync("SELECT count(*) FROM workspace.own, (SELECT 1 FROM workspace.eu LIMIT 1) t", "42501"), "eu", id, "has been revoked");
        AssertDerivedFrom(await s.ErrorAsync("COPY (SELECT * FROM workspace.eu) TO STDOUT", "42501"), "eu", id, "has been revoked");
        // Laundering through a new table is refused the same way.
        AssertDerivedFrom(await s.ErrorAsync("CREATE TABLE workspace.laundered AS SELECT * FROM workspace.eu", "42501"), "eu", id, "has been revoked");
        AssertDerivedFrom(await s.ErrorAsync("INSERT INTO workspace.own SELECT count(*) FROM workspace.eu", "42501"), "eu", id, "has been revoked");
        Assert.Equal(1L, await s.CountAsync("SELECT count(*) FROM workspace.own")); // constants only: still readable

        // A fresh approval does not revive rows derived under the old one; re-creating the table does.
        var again = await scenario.SubscribeAsync("mkt_sls_table", Europe);
        AssertDerivedFrom(await s.ErrorAsync("SELECT count(*) FROM workspace.eu", "42501"), "eu", id, "has been revoked");
        await s.RowsAsync("DROP TABLE workspace.eu");
        await s.RowsAsync("CREATE TABLE workspace.eu AS SELECT * FROM mkt_sls_table WHERE item_id < 1000");
        Assert.Equal(rows, await s.CountAsync("SELECT count(*) FROM workspace.eu"));
        await scenario.RevokeAsync(again);
        AssertDerivedFrom(await s.ErrorAsync("SELECT count(*) FROM workspace.eu", "42501"), "eu", again, "has been revoked");
    }

    /// <summary>
    /// The owner narrows the grant in place (its row filter and its columns), as ALTER SUBSCRIPTION will: written here
    /// straight into the catalog, with a new catalog version and its change log row, since no admin command changes an
    /// approved grant yet.
    /// </summary>
    [Theory]
    [Adversarial(AttackClass.WorkspaceLineage)]
    [InlineData("row_filter = 'region = ''Europe'' AND item_id < 500'")]
    [InlineData("exclude_columns = '[\"customer_email\",\"amount\"]'")]
    [InlineData("masks = '[{\"column\":\"region\",\"kind\":\"redact\",\"keepFirst\":0,\"keepLast\":0}]'")]
    public async Task A_grant_narrowed_in_place_makes_the_derived_table_unreadable(string change)
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "narrow");
        var id = await scenario.SubscribeAsync("mkt_sls_table", Europe);
        await using var s = await scenario.OpenAsync();
        await s.RowsAsync("CREATE TABLE workspace.eu AS SELECT * FROM mkt_sls_table WHERE item_id < 1000");
        Assert.True(await s.CountAsync("SELECT count(*) FROM workspace.eu") > 0); // the probe

        var catalog = gateway.Host.Catalog.Catalog;
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DataMesh.Gateway.Admin.AdminCatalog.CatalogPath(gateway.Host.DataDirectory)}"))
        {
            await db.OpenAsync();
            await using var cmd = db.CreateCommand();
            // As every catalog write does: a new version, and the change log's row naming the subscription in the same
            // transaction (snapshots are patched from the log; a change outside it is not seen).
            cmd.CommandText = $"BEGIN; UPDATE subscriptions SET {change} WHERE id = {id}; "
                + "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalog_version'; "
                + $"INSERT INTO catalog_changes SELECT CAST(value AS INTEGER), 'subscription', '{id}' FROM meta WHERE key = 'catalog_version'; COMMIT;";
            await cmd.ExecuteNonQueryAsync();
        }
        catalog.Refresh();

        var e = await s.ErrorAsync("SELECT count(*) FROM workspace.eu", "42501");
        AssertDerivedFrom(e, "eu", id, "lets this session through other rows, columns or masks than when the table was written");
    }

    [Fact]
    [Adversarial(AttackClass.WorkspaceLineage)]
    public async Task An_expired_subscription_makes_the_derived_table_unreadable()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "linexp");
        var id = await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Europe') EXPIRES IN INTERVAL '4 seconds'");
        await using var s = await scenario.OpenAsync();
        await s.RowsAsync("CREATE TABLE workspace.soon AS SELECT item_id FROM mkt_sls_table WHERE item_id < 100");
        Assert.True(await s.CountAsync("SELECT count(*) FROM workspace.soon") > 0); // the probe
        await Task.Delay(TimeSpan.FromSeconds(5));
        var e = await s.ErrorAsync("SELECT count(*) FROM workspace.soon", "42501");
        Assert.Equal($"workspace table \"soon\" was derived from subscription {id} to marketing.mkt_sls_table, which has expired", e.MessageText);
    }

    [Fact]
    [Adversarial(AttackClass.WorkspaceLineage)]
    public async Task A_cursor_over_a_derived_table_is_closed_when_the_grant_goes()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "lincur");
        var id = await scenario.SubscribeAsync("mkt_sls_table", Europe);
        await using var s = await scenario.OpenAsync();
        await s.RowsAsync("CREATE TABLE workspace.big AS SELECT * FROM mkt_sls_table");
        await s.RowsAsync("BEGIN");
        await s.RowsAsync("DECLARE c CURSOR FOR SELECT * FROM workspace.big");
        Assert.Single(await s.RowsAsync("FETCH 1 FROM c")); // the probe: the cursor streams
        await scenario.RevokeAsync(id);
        var (error, _) = await s.TryAsync("FETCH 1000 FROM c");
        Assert.NotNull(error);
        // Refusals while a result streams lose their hint on the way out (GovernedErrors keeps only the message).
        Assert.Equal(("42501", $"workspace table \"big\" was derived from subscription {id} to marketing.mkt_sls_table, which has been revoked"),
            (error.SqlState, error.MessageText));
        await s.RowsAsync("ROLLBACK");
    }

    [Fact]
    [Adversarial(AttackClass.WorkspaceLineage)]
    public async Task A_table_without_recorded_lineage_is_unreadable_and_a_missing_one_is_still_42P01()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "linold");
        await using var s = await scenario.OpenAsync();
        await s.RowsAsync("CREATE TABLE workspace.old AS SELECT 1 AS x");
        Assert.Equal(1L, await s.CountAsync("SELECT count(*) FROM workspace.old")); // the probe
        // As if written by a gateway that did not record lineage yet.
        gateway.Host.Catalog.Catalog.Store.ForgetLineage(scenario.Project, "old");

        var e = await s.ErrorAsync("SELECT count(*) FROM workspace.OLD", "42501");
        Assert.Equal("workspace table \"old\" has no recorded lineage, so the grants its rows came from cannot be checked", e.MessageText);
        await s.ErrorAsync("SELECT count(*) FROM workspace.never_created", "42P01");
        await s.RowsAsync("DROP TABLE workspace.old");
        await s.RowsAsync("CREATE TABLE workspace.old AS SELECT 2 AS x");
        Assert.Equal(1L, await s.CountAsync("SELECT count(*) FROM workspace.old"));
    }
}
