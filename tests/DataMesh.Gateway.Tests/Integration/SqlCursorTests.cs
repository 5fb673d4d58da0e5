using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// DECLARE / FETCH / MOVE / CLOSE and SAVEPOINT / RELEASE / ROLLBACK TO with PostgreSQL's rules and SQLSTATEs, as
/// bob (consumer) through Npgsql and psql. The European rows of mkt_sls_table are the multiples of 4.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SqlCursorTests(GatewayFixture gateway)
{
    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(gateway.ConnectionString("bob", database: "ml_research"));
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<List<long>> FetchIdsAsync(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await using var reader = await cmd.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private static async Task<string> ExecAsync(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        var affected = await cmd.ExecuteNonQueryAsync();
        return affected.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<PostgresException> FailsAsync(NpgsqlConnection c, string sql, string state)
    {
        var e = await Assert.ThrowsAsync<PostgresException>(() => ExecAsync(c, sql));
        Assert.Equal(state, e.SqlState);
        return e;
    }

    [Fact]
    public async Task Fetch_forward_in_steps_then_all_then_nothing()
    {
        await using var c = await OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await ExecAsync(c, "DECLARE c CURSOR FOR SELECT item_id FROM mkt_sls_table WHERE item_id <= 400 ORDER BY item_id");
        Assert.Equal([4L, 8, 12], await FetchIdsAsync(c, "FETCH 3 FROM c"));
        Assert.Equal([16L], await FetchIdsAsync(c, "FETCH NEXT FROM c"));
        Assert.Equal([20L], await FetchIdsAsync(c, "FETCH c"));
        Assert.Equal([24L, 28], await FetchIdsAsync(c, "FETCH FORWARD 2 IN c"));
        await ExecAsync(c, "MOVE FORWARD 10 IN c"); // skips 32 … 68
        Assert.Equal([72L], await FetchIdsAsync(c, "FETCH 1 FROM c"));
        var rest = await FetchIdsAsync(c, "FETCH ALL FROM c");
        Assert.Equal(Enumerable.Range(19, 82).Select(k => 4L * k), rest);
        Assert.Empty(await FetchIdsAsync(c, "FETCH ALL FROM c"));
        await ExecAsync(c, "CLOSE c");
        await FailsAsync(c, "FETCH 1 FROM c", "34000");
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task Cursor_rules_follow_postgresql()
    {
        await using var c = await OpenAsync();
        // Without HOLD a cursor needs a transaction block.
        await FailsAsync(c, "DECLARE c CURSOR FOR SELECT 1", "25P01");
        await using (var tx = await c.BeginTransactionAsync())
        {
            await ExecAsync(c, "DECLARE c CURSOR FOR SELECT item_id FROM mkt_sls_table ORDER BY item_id");
            await FailsAsync(c, "DECLARE c CURSOR FOR SELECT 2", "42P03"); // duplicate name
            await tx.RollbackAsync();
        }
        await using (var tx = await c.BeginTransactionAsync())
        {
            await ExecAsync(c, "DECLARE c CURSOR FOR SELECT item_id FROM mkt_sls_table ORDER BY item_id");
            await FailsAsync(c, "FETCH BACKWARD 1 FROM c", "55000"); // forward-only
            await tx.RollbackAsync();
        }
        await FailsAsync(c, "DECLARE s SCROLL CURSOR WITH HOLD FOR SELECT 1", "0A000");
        await FailsAsync(c, "FETCH 1 FROM nope", "34000");
        await FailsAsync(c, "CLOSE nope", "34000");
        Assert.Equal(1L, Convert.ToInt64(await new NpgsqlCommand("SELECT 1", c).ExecuteScalarAsync()));
    }

    [Fact]
    public async Task Commit_closes_plain_cursors_and_keeps_held_ones_until_close()
    {
        await using var c = await OpenAsync();
        await using (var tx = await c.BeginTransactionAsync())
        {
            await ExecAsync(c, "DECLARE plain CURSOR FOR SELECT item_id FROM mkt_sls_table ORDER BY item_id");
            await ExecAsync(c, "DECLARE held CURSOR WITH HOLD FOR SELECT item_id FROM mkt_sls_table ORDER BY item_id");
            Assert.Equal([4L], await FetchIdsAsync(c, "FETCH 1 FROM held"));
            await tx.CommitAsync();
        }
        await FailsAsync(c, "FETCH 1 FROM plain", "34000");
        Assert.Equal([8L, 12], await FetchIdsAsync(c, "FETCH 2 FROM held")); // outside any transaction, across Syncs
        await ExecAsync(c, "CLOSE ALL");
        await FailsAsync(c, "FETCH 1 FROM held", "34000");
    }

    [Fact]
    public async Task Rollback_drops_held_cursors_declared_in_that_block()
    {
        await using var c = await OpenAsync();
        await using (var tx = await c.BeginTransactionAsync())
        {
            await ExecAsync(c, "DECLARE held CURSOR WITH HOLD FOR SELECT 1");
            await tx.RollbackAsync();
        }
        await FailsAsync(c, "FETCH 1 FROM held", "34000");
    }

    [Fact]
    public async Task Binary_cursor_and_mixed_case_names()
    {
        await using var c = await OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await ExecAsync(c, "DECLARE MyCur BINARY CURSOR FOR SELECT item_id, amount FROM mkt_sls_table WHERE item_id = 8");
        // Npgsql reads what the server sends: binary int8 and numeric must decode to the same values as text.
        await using var cmd = new NpgsqlCommand("FETCH ALL FROM mycur", c);
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(8L, reader.GetInt64(0));
            Assert.Equal(378.32m, reader.GetDecimal(1));
        }
        await ExecAsync(c, "DECLARE \"Quoted\" CURSOR FOR SELECT 5::BIGINT");
        Assert.Equal([5L], await FetchIdsAsync(c, "FETCH 1 FROM \"Quoted\""));
        await FailsAsync(c, "FETCH 1 FROM quoted", "34000"); // a quoted name keeps its case
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task Savepoints_recover_a_failed_block_and_follow_postgresql_rules()
    {
        await using var c = await OpenAsync();
        await FailsAsync(c, "SAVEPOINT a", "25P01");
        await using var tx = await c.BeginTransactionAsync();
        await ExecAsync(c, "SAVEPOINT a");
        await ExecAsync(c, "DECLARE after_a CURSOR FOR SELECT 1::BIGINT");
        await FailsAsync(c, "SELECT no_such_column FROM mkt_sls_table", "42703");
        await FailsAsync(c, "SELECT 1", "25P02");
        await FailsAsync(c, "RELEASE a", "25P02"); // only a rollback leaves a failed block
        await ExecAsync(c, "ROLLBACK TO SAVEPOINT a");
        Assert.Equal(25L, Convert.ToInt64(await new NpgsqlCommand("SELECT count(*) FROM mkt_sls_table WHERE item_id <= 100", c).ExecuteScalarAsync()));
        await FailsAsync(c, "FETCH 1 FROM after_a", "34000"); // declared after the savepoint: closed by the rollback to it
        await ExecAsync(c, "ROLLBACK TO a"); // the savepoint itself stays
        await ExecAsync(c, "SAVEPOINT b");
        await ExecAsync(c, "RELEASE SAVEPOINT a"); // releases b too
        await FailsAsync(c, "ROLLBACK TO b", "3B001");
        await tx.RollbackAsync();

        // Npgsql's own savepoint API.
        await using var tx2 = await c.BeginTransactionAsync();
        await tx2.SaveAsync("npgsql_sp");
        await FailsAsync(c, "SELECT 1/'x'", "22P02");
        await tx2.RollbackAsync("npgsql_sp");
        await tx2.ReleaseAsync("npgsql_sp");
        Assert.Equal(2L, Convert.ToInt64(await new NpgsqlCommand("SELECT 2", c).ExecuteScalarAsync()));
        await tx2.CommitAsync();
    }

    [Fact]
    public async Task Psql_declares_and_fetches_in_a_script()
    {
        var result = await Psql.RunAsync(gateway, ["-At", "-v", "ON_ERROR_STOP=1"], user: "bob", database: "ml_research",
            stdin: "BEGIN;\nDECLARE c CURSOR FOR SELECT item_id FROM mkt_sls_table ORDER BY item_id;\nFETCH 2 FROM c;\nMOVE 1 IN c;\nFETCH 1 FROM c;\nCLOSE c;\nCOMMIT;\n");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["BEGIN", "DECLARE CURSOR", "4", "8", "MOVE 1", "16", "CLOSE CURSOR", "COMMIT"],
            result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
