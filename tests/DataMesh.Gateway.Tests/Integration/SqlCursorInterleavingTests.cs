using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// An open SQL cursor survives the session's other statements between its FETCHes, as in PostgreSQL: each cursor
/// streams on an engine connection of its own (DuckDB ends a connection's streaming result as soon as that connection
/// runs anything else, which failed the next FETCH beyond the buffered rows with 22023). Several cursors interleave,
/// a cancel still interrupts a cursor's fetch, and a session holds a bounded number of them.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SqlCursorInterleavingTests(GatewayFixture gateway)
{
    // Larger than what DuckDB buffers when the cursor starts, so MOVE and FETCH must pull from the engine again.
    private const string Numbers = "SELECT x::BIGINT AS x FROM range(300000) t(x) ORDER BY x";

    [Fact]
    public async Task A_query_between_fetches_leaves_the_cursor_open_in_psql()
    {
        var result = await Psql.RunAsync(gateway, ["-X", "-At", "-v", "ON_ERROR_STOP=1",
            "-c", "BEGIN", "-c", $"DECLARE c CURSOR FOR {Numbers}", "-c", "FETCH 100 IN c", "-c", "SELECT 1",
            "-c", "MOVE 200000 IN c", "-c", "FETCH 5 IN c", "-c", "COMMIT"]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] expected = ["BEGIN", "DECLARE CURSOR", .. Enumerable.Range(0, 100).Select(i => i.ToString()), "1", "MOVE 200000",
            "200100", "200101", "200102", "200103", "200104", "COMMIT"];
        Assert.Equal(expected, lines);
        Assert.Equal("", result.StdErr);
    }

    [Fact]
    public async Task Two_cursors_interleave_with_queries_and_each_other()
    {
        await using var connection = await gateway.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await ExecAsync(connection, $"DECLARE a CURSOR FOR {Numbers}");
        await ExecAsync(connection, "DECLARE b CURSOR FOR SELECT x::BIGINT * 10 AS y FROM range(250000) t(x) ORDER BY x");
        Assert.Equal([0L, 1, 2], await FetchAsync(connection, "FETCH 3 FROM a"));
        Assert.Equal([42L], await FetchAsync(connection, "SELECT 42::BIGINT"));
        Assert.Equal([0L, 10], await FetchAsync(connection, "FETCH 2 FROM b"));
        await ExecAsync(connection, "MOVE 150000 IN a");
        Assert.Equal([7L], await FetchAsync(connection, "SELECT count(*) FROM range(7)"));
        await ExecAsync(connection, "MOVE 200000 IN b");
        Assert.Equal([150003L, 150004], await FetchAsync(connection, "FETCH 2 FROM a"));
        Assert.Equal([2000020L], await FetchAsync(connection, "FETCH 1 FROM b"));
        await ExecAsync(connection, "MOVE 149990 IN a");
        Assert.Equal([299995L, 299996, 299997, 299998, 299999], await FetchAsync(connection, "FETCH ALL FROM a"));
        Assert.Equal(49997, (await FetchAsync(connection, "FETCH ALL FROM b")).Count);
        await tx.CommitAsync();
        Assert.Equal([1L], await FetchAsync(connection, "SELECT 1::BIGINT")); // the session goes on
    }

    [Fact]
    public async Task A_cancel_interrupts_a_cursors_fetch_after_other_statements_and_the_session_goes_on()
    {
        await using var c = await RawClient.ConnectAsync(gateway);
        await c.SendAsync(RawClient.StartupMessage("alice", "marketing"));
        var key = Assert.Single(await RawLogin.AuthenticateAsync(c, "alice", "alice"), m => m.Type == 'K').Payload;
        await c.SendAsync(RawClient.Query("BEGIN; DECLARE slow CURSOR FOR "
            + "SELECT x FROM range(100000000000) t(x) WHERE x < 300000 OR x % 1000000007 = 5; SELECT 1; FETCH 2 FROM slow; SELECT 2"));
        var setup = await c.ReadUntilAsync('Z');
        Assert.DoesNotContain(setup, m => m.Type == 'E');
        Assert.Equal(["1", "0", "1", "2"], setup.Where(m => m.Type == 'D').Select(m => ExtendedMessages.FirstField(m.Payload)));

        // MOVE drops the first 300,000 rows, then one fetch scans the rest of the range (minutes): only an interrupt of
        // the cursor's own engine connection stops it.
        await c.SendAsync(RawClient.Query("MOVE ALL IN slow"));
        await Task.Delay(1500);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using (var cancel = await RawClient.ConnectAsync(gateway))
            await cancel.SendAsync([.. RawClient.BigEndian(16), .. RawClient.BigEndian(80877102), .. key]);
        var messages = await c.ReadUntilAsync('Z', TimeSpan.FromSeconds(60));
        var elapsed = watch.Elapsed;
        var error = Assert.Single(messages, m => m.Type == 'E');
        Assert.Equal(("57014", "canceling statement due to user request"), (RawClient.SqlState(error.Payload), RawClient.Field(error.Payload, 'M')));
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"the cancel took {elapsed.TotalSeconds:F1} s");

        await c.SendAsync(RawClient.Query("ROLLBACK; SELECT 5"));
        Assert.Equal(["5"], (await c.ReadUntilAsync('Z')).Where(m => m.Type == 'D').Select(m => ExtendedMessages.FirstField(m.Payload)));
    }

    [Fact]
    public async Task A_session_holds_a_bounded_number_of_cursors_and_closing_one_frees_its_place()
    {
        await using var connection = await gateway.OpenAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            for (var i = 0; i < 16; i++) await ExecAsync(connection, $"DECLARE c{i} CURSOR FOR SELECT {i}::BIGINT AS x");
            var e = await Assert.ThrowsAsync<PostgresException>(() => ExecAsync(connection, "DECLARE c16 CURSOR FOR SELECT 16::BIGINT"));
            Assert.Equal(("54000", "too many open cursors: a session may hold 16 at once"), (e.SqlState, e.MessageText));
            await tx.RollbackAsync();
        }
        // ROLLBACK closed them all: their connections are free again.
        await using (var tx = await connection.BeginTransactionAsync())
        {
            for (var i = 0; i < 16; i++) await ExecAsync(connection, $"DECLARE c{i} CURSOR FOR SELECT {i}::BIGINT AS x");
            await ExecAsync(connection, "CLOSE c3");
            await ExecAsync(connection, "DECLARE c16 CURSOR FOR SELECT 16::BIGINT AS x");
            Assert.Equal([16L], await FetchAsync(connection, "FETCH ALL FROM c16"));
            Assert.Equal([15L], await FetchAsync(connection, "FETCH ALL FROM c15"));
            await tx.CommitAsync();
        }
    }

    /// <summary>PostgreSQL's FETCH describes the cursor query's columns with their base table and attribute, as its SELECT does.</summary>
    [Fact]
    public async Task Fetch_describes_base_table_columns_as_the_select_does()
    {
        const string query = "SELECT item_id, amount + 1 AS z FROM mkt_sls_table ORDER BY item_id";
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync(RawClient.Query(query + " LIMIT 1"));
        var select = Origins(Assert.Single(await c.ReadUntilAsync('Z'), m => m.Type == 'T').Payload);
        Assert.NotEqual(0, select[0].TableOid);
        Assert.Equal([("item_id", select[0].TableOid, (short)1), ("z", 0, (short)0)], select);

        await c.SendAsync(RawClient.Query($"BEGIN; DECLARE c CURSOR FOR {query}; SELECT 1; FETCH 1 FROM c"));
        var simple = (await c.ReadUntilAsync('Z')).Where(m => m.Type == 'T').Select(m => Origins(m.Payload)).ToList();
        Assert.Equal(select, simple[^1]);
        await c.SendAsync([.. ExtendedMessages.Parse("f", "FETCH 1 FROM c"), .. ExtendedMessages.Describe('S', "f"), .. ExtendedMessages.Sync()]);
        Assert.Equal(select, Origins(Assert.Single(await c.ReadUntilAsync('Z'), m => m.Type == 'T').Payload));
        await c.SendAsync(RawClient.Query("COMMIT"));
        await c.ReadUntilAsync('Z');
    }

    /// <summary>Each field of a RowDescription: name, table OID, attribute number.</summary>
    private static List<(string Name, int TableOid, short Attribute)> Origins(byte[] description)
    {
        var fields = new List<(string, int, short)>();
        var at = 2;
        for (var i = 0; i < System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(description); i++)
        {
            var end = Array.IndexOf(description, (byte)0, at);
            var name = System.Text.Encoding.UTF8.GetString(description, at, end - at);
            var table = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(description.AsSpan(end + 1));
            var attribute = System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(description.AsSpan(end + 5));
            fields.Add((name, table, attribute));
            at = end + 1 + 18;
        }
        return fields;
    }

    private static async Task ExecAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<long>> FetchAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<long>();
        while (await reader.ReadAsync()) values.Add(reader.GetInt64(0));
        return values;
    }
}
