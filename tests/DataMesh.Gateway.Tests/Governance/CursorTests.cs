using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// SQL cursors are a way in to the same data as a SELECT: DECLARE … CURSOR FOR q must be governed exactly like q
/// (projection, row filter, refusals, error text), and an open cursor must stop when its grant is revoked.
/// WITH HOLD is used where a statement is expected to fail, so no transaction block is left aborted.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CursorTests(GatewayFixture gateway)
{
    [Theory]
    [Adversarial(AttackClass.Cursor)]
    [Adversarial(AttackClass.HiddenColumn)]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR SELECT customer_email FROM mkt_sls_table", "42703")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR SELECT item_id FROM mkt_sls_table WHERE customer_email LIKE 'customer1@%'", "42703")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR SELECT * FROM marketing.draft_forecast", "42P01", "42501")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR SELECT * FROM finance.ledger", "42P01", "42501")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR SELECT * FROM read_parquet('/etc/passwd')", "42501")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR WITH x AS (SELECT customer_email FROM mkt_sls_table) SELECT * FROM x", "42703")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR SELECT current_setting('memory_limit')", "42501", "42883")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR DELETE FROM mkt_sls_table", "42501")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR ATTACH '/tmp/x.duckdb' AS x", "42501")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR SHOW SUBSCRIPTION REQUESTS", "42601")]
    [InlineData("DECLARE c CURSOR WITH HOLD FOR COPY (SELECT 1) TO STDOUT", "42601", "42501")]
    public async Task A_cursor_query_is_refused_exactly_like_the_select_it_wraps(string sql, params string[] states)
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await s.ErrorAsync(sql, states);
        // Nothing was declared: the name is still free and FETCH finds no cursor.
        await s.ErrorAsync("FETCH 1 FROM c", "34000");
    }

    [Fact]
    [Adversarial(AttackClass.Cursor)]
    public async Task A_cursor_returns_the_granted_projection_and_rows_only()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        await using var tx = await s.Connection.BeginTransactionAsync();
        await Exec(s.Connection, "DECLARE c CURSOR FOR SELECT * FROM marketing.mkt_sls_table WHERE item_id <= 4000");
        var (columns, rows) = await s.TableAsync("FETCH ALL FROM c");
        Assert.Equal(["item_id", "sales_qty_sld", "region", "sale_date", "amount"], columns);
        Assert.Equal(1000, rows.Count);
        Assert.All(rows, r => Assert.Equal("Europe", r[2]));
        Assert.Empty((await s.TableAsync("FETCH ALL FROM c")).Rows); // exhausted
        await tx.RollbackAsync();
    }

    [Fact]
    [Adversarial(AttackClass.Cursor)]
    [Adversarial(AttackClass.Revocation)]
    public async Task Fetch_from_an_open_cursor_after_revocation_fails_and_the_cursor_is_gone()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "cur");
        var id = await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Asia') EXCLUDE COLUMNS (customer_email)");
        await using var s = await scenario.OpenAsync();
        await Exec(s.Connection, "DECLARE held CURSOR WITH HOLD FOR SELECT item_id, region FROM mkt_sls_table ORDER BY item_id");
        var first = await s.RowsAsync("FETCH 3 FROM held");
        Assert.Equal(["Asia", "Asia", "Asia"], first.Select(r => (string)r[1]!));

        await scenario.RevokeAsync(id);

        var e = await s.ErrorAsync("FETCH 3 FROM held", "42501");
        Assert.Contains("revoked", e.MessageText);
        await s.ErrorAsync("FETCH 3 FROM held", "34000"); // a cursor that failed is closed
        await s.ErrorAsync("MOVE ALL IN held", "34000");
        await s.ErrorAsync("DECLARE again CURSOR WITH HOLD FOR SELECT item_id FROM mkt_sls_table", "42501", "42P01");
    }

    [Fact]
    [Adversarial(AttackClass.Cursor)]
    [Adversarial(AttackClass.Revocation)]
    public async Task A_declare_prepared_before_revocation_is_refused_when_executed_after_it()
    {
        var scenario = await GrantScenario.CreateAsync(gateway, "curprep");
        var id = await scenario.SubscribeAsync("mkt_sls_table", "WITH ROW FILTER (region = 'Europe')");
        await using var s = await scenario.OpenAsync();
        await using var declare = new NpgsqlCommand("DECLARE p CURSOR WITH HOLD FOR SELECT item_id FROM mkt_sls_table WHERE item_id <= $1", s.Connection);
        declare.Parameters.AddWithValue(40L);
        await declare.PrepareAsync();
        await declare.ExecuteNonQueryAsync();
        Assert.Equal(10, (await s.RowsAsync("FETCH ALL FROM p")).Count);
        await Exec(s.Connection, "CLOSE p");

        await scenario.RevokeAsync(id);

        var e = await Assert.ThrowsAsync<PostgresException>(() => declare.ExecuteNonQueryAsync());
        Assert.Equal("42501", e.SqlState);
        s.Guard.AssertClean(e, declare.CommandText);
        await s.ErrorAsync("FETCH ALL FROM p", "34000");
    }

    [Fact]
    [Adversarial(AttackClass.Cursor)]
    [Adversarial(AttackClass.ErrorText)]
    public async Task A_failing_cursor_query_reports_no_policy_text()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        // The conversion fails while rows are produced (at DECLARE or at FETCH, as the engine streams): either way
        // the error is leak-checked (no grant filter, no file path) and the session goes on.
        var (declareError, _) = await s.TryAsync("DECLARE d CURSOR WITH HOLD FOR SELECT CAST(region AS INTEGER) AS boom FROM mkt_sls_table");
        var (fetchError, _) = declareError is null ? await s.TryAsync("FETCH 10 FROM d") : (null, []);
        var error = declareError ?? fetchError;
        Assert.NotNull(error);
        Assert.Equal("22P02", error.SqlState);
        Assert.Equal(1, await s.CountAsync("SELECT 1"));
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
