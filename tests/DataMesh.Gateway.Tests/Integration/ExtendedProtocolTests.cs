using System.Buffers.Binary;
using DataMesh.Gateway.Tests.Infrastructure;
using static DataMesh.Gateway.Tests.Infrastructure.ExtendedMessages;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>The extended query protocol at message level, with exact sequences a driver would send.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ExtendedProtocolTests(GatewayFixture gateway)
{
    private static string Types(IEnumerable<(char Type, byte[] Payload)> messages) => new(messages.Select(m => m.Type).ToArray());

    [Fact]
    public async Task Execute_with_a_row_limit_suspends_and_resumes_the_same_stream()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([
            .. Parse("", "SELECT x FROM range(10) t(x) ORDER BY x"),
            .. Bind("", "", []),
            .. Execute("", 3),
            .. Execute("", 3),
            .. Execute("", 0),
            .. Sync()]);
        var messages = await c.ReadUntilAsync('Z');
        Assert.Equal("12DDDsDDDsDDDDC" + "Z", Types(messages));
        var values = messages.Where(m => m.Type == 'D').Select(m => FirstField(m.Payload)).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), values);
        Assert.Equal("SELECT 4", Text(messages.Single(m => m.Type == 'C').Payload));
    }

    [Fact]
    public async Task Suspended_portal_survives_sync_inside_a_transaction_block()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync(RawClient.Query("BEGIN"));
        Assert.Equal('T', (char)(await c.ReadUntilAsync('Z')).Last().Payload[0]);

        await c.SendAsync([.. Parse("fetch", "SELECT item_id FROM marketing.mkt_sls_table ORDER BY item_id"), .. Bind("c1", "fetch", []), .. Execute("c1", 100), .. Sync()]);
        var first = await c.ReadUntilAsync('Z');
        Assert.Equal(100, first.Count(m => m.Type == 'D'));
        Assert.Equal('s', first[^2].Type);

        var seen = first.Where(m => m.Type == 'D').Select(m => long.Parse(FirstField(m.Payload)!)).ToList();
        for (var round = 0; round < 3; round++)
        {
            await c.SendAsync([.. Execute("c1", 100), .. Sync()]);
            var next = await c.ReadUntilAsync('Z');
            Assert.Equal('s', next[^2].Type);
            seen.AddRange(next.Where(m => m.Type == 'D').Select(m => long.Parse(FirstField(m.Payload)!)));
        }
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (long)i), seen);

        await c.SendAsync([.. Close('P', "c1"), .. Sync()]);
        Assert.Equal("3Z", Types(await c.ReadUntilAsync('Z')));
        await c.SendAsync(RawClient.Query("COMMIT"));
        Assert.Equal('I', (char)(await c.ReadUntilAsync('Z')).Last().Payload[0]);
    }

    [Fact]
    public async Task Named_statements_survive_sync_and_unnamed_ones_are_replaced()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([.. Parse("plus_one", "SELECT $1 + 1", 23), .. Sync()]);
        Assert.Equal("1Z", Types(await c.ReadUntilAsync('Z')));
        await c.SendAsync([.. Parse("", "SELECT 'a'"), .. Parse("", "SELECT 'b'"), .. Bind("", "", []), .. Execute(""), .. Sync()]);
        var unnamed = await c.ReadUntilAsync('Z');
        Assert.Equal("b", FirstField(unnamed.Single(m => m.Type == 'D').Payload));

        await c.SendAsync([.. Bind("", "plus_one", ["41"]), .. Execute(""), .. Sync()]);
        var named = await c.ReadUntilAsync('Z');
        Assert.Equal("42", FirstField(named.Single(m => m.Type == 'D').Payload));

        await c.SendAsync([.. Parse("plus_one", "SELECT 1"), .. Sync()]);
        var duplicate = await c.ReadUntilAsync('Z');
        Assert.Equal("42P05", RawClient.SqlState(duplicate.Single(m => m.Type == 'E').Payload));

        await c.SendAsync([.. Close('S', "plus_one"), .. Bind("", "plus_one", ["1"]), .. Sync()]);
        var closed = await c.ReadUntilAsync('Z');
        Assert.Equal("3EZ", Types(closed));
        Assert.Equal("26000", RawClient.SqlState(closed[1].Payload));
    }

    [Fact]
    public async Task Flush_writes_pending_results_without_a_sync()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([.. Parse("", "SELECT 5"), .. Bind("", "", []), .. Describe('P', ""), .. Execute(""), .. Flush()]);
        var messages = new List<(char, byte[])>();
        for (var i = 0; i < 5; i++) messages.Add((await c.ReadMessageAsync(TimeSpan.FromSeconds(5)))!.Value);
        Assert.Equal("12TDC", Types(messages));
        await c.SendAsync(Sync());
        Assert.Equal("Z", Types(await c.ReadUntilAsync('Z')));
    }

    /// <summary>
    /// asyncpg and node-postgres' pg-cursor send Parse + Describe + Flush and wait: after an error the server skips
    /// messages until Sync, but a Flush still sends what is pending, the ErrorResponse included (as PostgreSQL does).
    /// </summary>
    [Fact]
    public async Task Flush_after_an_error_sends_the_error_before_any_sync()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([.. Parse("", "SELEC 1"), .. Describe('S', ""), .. Flush()]);
        var error = await c.ReadMessageAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(error);
        Assert.Equal('E', error.Value.Type);
        Assert.Equal("42601", RawClient.SqlState(error.Value.Payload));
        await c.SendAsync(Sync());
        Assert.Equal("Z", Types(await c.ReadUntilAsync('Z')));
        await c.SendAsync([.. Parse("", "SELECT 6"), .. Bind("", "", []), .. Execute(""), .. Sync()]);
        Assert.Equal("12DCZ", Types(await c.ReadUntilAsync('Z')));
    }


    [Theory]
    // asyncpg's type introspection: WHERE ti.oid = any($1::oid[]) with a Python list bound by the described type.
    [InlineData("SELECT t.typname FROM pg_type t WHERE t.oid = any($1::oid[])", 1028)]
    [InlineData("SELECT t.typname FROM pg_type t WHERE t.oid = $1::pg_catalog.int8", 20)]
    [InlineData("SELECT t.typname FROM pg_type t WHERE t.typname = $1::text", 25)]
    [InlineData("SELECT $1::double precision AS x", 701)]
    public async Task A_parameter_the_text_casts_is_described_with_that_type(string sql, int oid)
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([.. Parse("", sql), .. Describe('S', ""), .. Sync()]);
        var messages = await c.ReadUntilAsync('Z');
        Assert.Equal("1tTZ", Types(messages));
        var description = messages[1].Payload;
        Assert.Equal(1, BinaryPrimitives.ReadInt16BigEndian(description));
        Assert.Equal(oid, BinaryPrimitives.ReadInt32BigEndian(description.AsSpan(2)));
    }

    [Theory]
    [InlineData("SELEC 1", "42601", "")] // a syntax error at Parse
    [InlineData("SELECT * FROM nowhere", "42P01", "")] // a table that does not exist
    public async Task An_error_arrives_before_sync_when_the_client_flushes(string sql, string sqlState, string before)
    {
        // asyncpg's prepare() and pg-cursor send Parse/Describe/Flush and wait for the answer before any Sync.
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([.. Parse("", sql), .. Describe('S', ""), .. Flush()]);
        var messages = await ReadUntilErrorAsync(c);
        Assert.Equal(before + "E", Types(messages));
        Assert.Equal(sqlState, RawClient.SqlState(messages[^1].Payload));
        await c.SendAsync(Sync());
        Assert.Equal("Z", Types(await c.ReadUntilAsync('Z')));
        await c.SendAsync([.. Parse("", "SELECT 7"), .. Bind("", "", []), .. Execute(""), .. Sync()]);
        Assert.Equal("12DCZ", Types(await c.ReadUntilAsync('Z')));
    }

    [Fact]
    public async Task An_error_while_executing_arrives_before_sync_when_the_client_flushes()
    {
        // pg-cursor reads with Execute(n)/Flush; an error while executing must come back without a Sync.
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([
            .. Parse("", "SELECT CAST(CASE WHEN x = 3 THEN 'bad' ELSE x::text END AS INTEGER) FROM range(5) t(x)"),
            .. Bind("", "", []), .. Execute("", 100), .. Flush()]);
        var messages = await ReadUntilErrorAsync(c);
        Assert.StartsWith("12", Types(messages));
        Assert.Equal("22P02", RawClient.SqlState(messages[^1].Payload));
        await c.SendAsync(Sync());
        Assert.Equal("Z", Types(await c.ReadUntilAsync('Z')));
    }

    /// <summary>Reads until an ErrorResponse; fails when none arrives within 5 s (the client would hang).</summary>
    private static async Task<List<(char Type, byte[] Payload)>> ReadUntilErrorAsync(RawClient c)
    {
        var messages = new List<(char Type, byte[] Payload)>();
        while (messages.Count == 0 || messages[^1].Type != 'E')
        {
            (char, byte[])? m;
            try
            {
                m = await c.ReadMessageAsync(TimeSpan.FromSeconds(5));
            }
            catch (OperationCanceledException)
            {
                m = null;
            }
            Assert.True(m is not null, $"no ErrorResponse before Sync within 5 s; got '{Types(messages)}'");
            messages.Add(m!.Value);
        }
        return messages;
    }

    [Fact]
    public async Task After_an_error_messages_are_skipped_until_sync()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([
            .. Parse("", "SELECT * FROM nowhere"),
            .. Bind("", "", []),
            .. Execute(""),
            .. Parse("", "SELECT 1"),
            .. Bind("", "", []),
            .. Execute(""),
            .. Sync()]);
        var messages = await c.ReadUntilAsync('Z');
        Assert.Equal("EZ", Types(messages));
        Assert.Equal("42P01", RawClient.SqlState(messages[0].Payload));
        Assert.Equal('I', (char)messages[1].Payload[0]);

        await c.SendAsync([.. Parse("", "SELECT 1"), .. Bind("", "", []), .. Execute(""), .. Sync()]);
        Assert.Equal("12DCZ", Types(await c.ReadUntilAsync('Z')));
    }

    [Fact]
    public async Task Pipelined_rounds_before_one_sync_all_answer_in_order()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        var batch = new List<byte>();
        for (var i = 0; i < 5; i++) batch.AddRange([.. Parse("", $"SELECT {i} AS n"), .. Bind("", "", []), .. Execute("")]);
        batch.AddRange(Sync());
        await c.SendAsync([.. batch]);
        var messages = await c.ReadUntilAsync('Z');
        Assert.Equal(string.Concat(Enumerable.Repeat("12DC", 5)) + "Z", Types(messages));
        Assert.Equal(["0", "1", "2", "3", "4"], messages.Where(m => m.Type == 'D').Select(m => FirstField(m.Payload)));
    }

    [Fact]
    public async Task Describe_statement_gives_parameter_and_row_descriptions()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([.. Parse("d1", "SELECT item_id, region FROM marketing.mkt_sls_table WHERE item_id = $1", 0), .. Describe('S', "d1"), .. Sync()]);
        var messages = await c.ReadUntilAsync('Z');
        Assert.Equal("1tTZ", Types(messages));
        var parameters = messages[1].Payload;
        Assert.Equal(1, BinaryPrimitives.ReadInt16BigEndian(parameters));
        Assert.Equal(20, BinaryPrimitives.ReadInt32BigEndian(parameters.AsSpan(2))); // inferred: item_id is BIGINT
        Assert.Equal(2, BinaryPrimitives.ReadInt16BigEndian(messages[2].Payload));

        await c.SendAsync([.. Parse("d2", "SET application_name = 'x'"), .. Describe('S', "d2"), .. Bind("", "d2", []), .. Execute(""), .. Sync()]);
        var set = await c.ReadUntilAsync('Z');
        Assert.Equal("1tn2CSZ", Types(set)); // NoData, then CommandComplete SET and ParameterStatus
        Assert.Equal("SET", Text(set[4].Payload));
    }

    [Fact]
    public async Task Binary_results_when_asked_and_parameter_count_mismatch_is_an_error()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([.. Parse("", "SELECT $1::BIGINT * 2", 20), .. Bind("", "", ["21"], resultFormat: 1), .. Execute(""), .. Sync()]);
        var messages = await c.ReadUntilAsync('Z');
        var row = messages.Single(m => m.Type == 'D').Payload;
        Assert.Equal(8, BinaryPrimitives.ReadInt32BigEndian(row.AsSpan(2)));
        Assert.Equal(42L, BinaryPrimitives.ReadInt64BigEndian(row.AsSpan(6)));

        await c.SendAsync([.. Parse("", "SELECT $1::BIGINT", 20), .. Bind("", "", []), .. Sync()]);
        var mismatch = await c.ReadUntilAsync('Z');
        Assert.Equal("1EZ", Types(mismatch));
        Assert.Equal("08P01", RawClient.SqlState(mismatch[1].Payload));
    }

    [Theory]
    [InlineData(16, "t", "t")]
    [InlineData(16, "false", "f")]
    [InlineData(21, "-32768", "-32768")]
    [InlineData(23, "2147483647", "2147483647")]
    [InlineData(20, "-9223372036854775808", "-9223372036854775808")]
    [InlineData(700, "1.5", "1.5")]
    [InlineData(701, "-Infinity", "-Infinity")]
    [InlineData(701, "NaN", "NaN")]
    [InlineData(1700, "12345678901234567890.123456789", "12345678901234567890.123456789")]
    [InlineData(25, "tëxt ✓", "tëxt ✓")]
    [InlineData(1043, "varchar", "varchar")]
    [InlineData(17, "\\xdeadbeef", "\\xdeadbeef")]
    [InlineData(1082, "2024-02-29", "2024-02-29")]
    [InlineData(1083, "13:14:15.5", "13:14:15.5")]
    [InlineData(1114, "2021-07-04 12:30:15.25", "2021-07-04 12:30:15.25")]
    [InlineData(1184, "2021-07-04 12:30:15+00", "2021-07-04 12:30:15+00")]
    [InlineData(1186, "1 year 2 mons 3 days 04:05:06", "1 year 2 mons 3 days 04:05:06")]
    [InlineData(2950, "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData(114, "{\"a\": [1, 2]}", "{\"a\": [1, 2]}")]
    [InlineData(1007, "{1,NULL,3}", "{1,NULL,3}")]
    [InlineData(1009, "{a,\"b c\",\"\"}", "{a,\"b c\",\"\"}")]
    [InlineData(1016, "{-1,9223372036854775807}", "{-1,9223372036854775807}")]
    public async Task Text_parameters_of_every_type_round_trip_as_text(int oid, string parameter, string expected)
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([.. Parse("", "SELECT $1 AS v", oid), .. Bind("", "", [parameter], resultFormat: 0), .. Describe('P', ""), .. Execute(""), .. Sync()]);
        var messages = await c.ReadUntilAsync('Z');
        Assert.Equal("12TDCZ", Types(messages));
        var rowDescription = messages[2].Payload;
        var typeOid = BinaryPrimitives.ReadInt32BigEndian(rowDescription.AsSpan(2 + "v\0".Length + 6));
        Assert.Equal("v", ExtendedMessages.Text(rowDescription[2..(2 + 2)]).TrimEnd('\0'));
        Assert.Equal(oid == 1043 ? 25 : oid, typeOid); // VARCHAR results are text: the engine has one string type
        Assert.Equal(expected, FirstField(messages[3].Payload));
    }

    [Fact]
    public async Task Transaction_status_byte_tracks_begin_error_and_rollback()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        async Task<char> Status(byte[] message) { await c.SendAsync(message); return (char)(await c.ReadUntilAsync('Z')).Last().Payload[0]; }
        Assert.Equal('T', await Status(RawClient.Query("BEGIN ISOLATION LEVEL REPEATABLE READ")));
        Assert.Equal('E', await Status(RawClient.Query("SELECT * FROM nowhere")));
        Assert.Equal('E', await Status(RawClient.Query("SELECT 1")));
        Assert.Equal('E', await Status([.. Parse("", "SELECT 1"), .. Sync()]));
        Assert.Equal('I', await Status([.. Parse("", "ROLLBACK"), .. Bind("", "", []), .. Execute(""), .. Sync()]));
        Assert.Equal('I', await Status(RawClient.Query("SELECT 1")));
    }
}
