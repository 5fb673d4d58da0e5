using System.Buffers.Binary;
using DataMesh.Gateway.Tests.Infrastructure;
using static DataMesh.Gateway.Tests.Infrastructure.ExtendedMessages;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// DECLARE / FETCH at message level, as psycopg 3 and Tableau send them: a DECLARE with a bound parameter, a FETCH
/// described before it runs (its RowDescription is the cursor's), binary results asked for in the FETCH's Bind, and
/// several statements with cursors in one simple Query message.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SqlCursorProtocolTests(GatewayFixture gateway)
{
    private static string Types(IEnumerable<(char Type, byte[] Payload)> messages) => new(messages.Select(m => m.Type).ToArray());

    [Fact]
    public async Task A_described_fetch_returns_the_cursors_row_description_and_binary_rows()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync(RawClient.Query("BEGIN"));
        await c.ReadUntilAsync('Z');
        await c.SendAsync([
            .. Parse("", "DECLARE pc CURSOR FOR SELECT x::BIGINT AS x FROM range(10) t(x) WHERE x >= $1 ORDER BY x"),
            .. Bind("", "", ["4"]),
            .. Execute(""),
            .. Parse("f", "FETCH 3 FROM pc"),
            .. Describe('S', "f"),
            .. Bind("", "f", [], resultFormat: 1),
            .. Describe('P', ""),
            .. Execute(""),
            .. Sync()]);
        var messages = await c.ReadUntilAsync('Z');
        // DECLARE: 1 2 C; FETCH: 1, t (no parameters) T (statement described), 2, T (portal described), D×3, C.
        Assert.Equal("12C" + "1tT2TDDDC" + "Z", Types(messages));
        var tags = messages.Where(m => m.Type == 'C').Select(m => Text(m.Payload)).ToList();
        Assert.Equal(["DECLARE CURSOR", "FETCH 3"], tags);
        var descriptions = messages.Where(m => m.Type == 'T').Select(m => m.Payload).ToList();
        // A statement's description cannot know the formats yet (0, as in PostgreSQL); the portal's has the Bind's.
        Assert.Equal([(20, (short)0), (20, (short)1)], descriptions.Select(Field));
        // Binary int8 rows: 8-byte big-endian values 4, 5, 6.
        var values = messages.Where(m => m.Type == 'D').Select(m => BinaryPrimitives.ReadInt64BigEndian(m.Payload.AsSpan(6, 8))).ToList();
        Assert.Equal([4L, 5, 6], values);

        await c.SendAsync(RawClient.Query("FETCH ALL FROM pc; CLOSE pc; COMMIT"));
        var rest = await c.ReadUntilAsync('Z');
        Assert.Equal(["7", "8", "9"], rest.Where(m => m.Type == 'D').Select(m => FirstField(m.Payload)));
        Assert.Equal(["FETCH 3", "CLOSE CURSOR", "COMMIT"], rest.Where(m => m.Type == 'C').Select(m => Text(m.Payload)));
    }

    /// <summary>The one column's type OID and format code from a RowDescription, after checking its name is x.</summary>
    private static (int TypeOid, short Format) Field(byte[] description)
    {
        var nameLength = description.AsSpan(2).IndexOf((byte)0);
        Assert.Equal("x", System.Text.Encoding.UTF8.GetString(description, 2, nameLength));
        var field = description.AsSpan(2 + nameLength + 1);
        return (BinaryPrimitives.ReadInt32BigEndian(field[6..]), BinaryPrimitives.ReadInt16BigEndian(field[16..]));
    }

    [Fact]
    public async Task A_fetch_of_an_unknown_cursor_fails_at_parse_describe_and_the_session_recovers_at_sync()
    {
        await using var c = await RawLogin.ConnectAsync(gateway);
        await c.SendAsync([.. Parse("", "FETCH 1 FROM nowhere"), .. Describe('S', ""), .. Sync()]);
        var messages = await c.ReadUntilAsync('Z');
        var error = Assert.Single(messages, m => m.Type == 'E');
        Assert.Equal("34000", RawClient.SqlState(error.Payload));
        await c.SendAsync(RawClient.Query("SELECT 1"));
        Assert.Equal(["1"], (await c.ReadUntilAsync('Z')).Where(m => m.Type == 'D').Select(m => FirstField(m.Payload)));
    }

    [Fact]
    public async Task A_cancel_interrupts_a_long_MOVE_with_57014_and_the_session_goes_on()
    {
        await using var c = await RawClient.ConnectAsync(gateway);
        await c.SendAsync(RawClient.StartupMessage("alice", "marketing"));
        var key = Assert.Single(await RawLogin.AuthenticateAsync(c, "alice", "alice"), m => m.Type == 'K').Payload;
        await c.SendAsync(RawClient.Query("BEGIN; DECLARE slow CURSOR FOR "
            + "SELECT x FROM range(100000000000) t(x) WHERE x < 300000 OR x % 1000000007 = 5"));
        Assert.DoesNotContain(await c.ReadUntilAsync('Z'), m => m.Type == 'E');

        // DECLARE returns once the engine's stream buffer is full (100,000 rows); MOVE drops the first 300,000 rows in a
        // moment, then one fetch scans the rest of the range (minutes) for the next match. Only an interrupt of the
        // engine stops that fetch: the cancel flag checked between batches is seen too late.
        await c.SendAsync(RawClient.Query("MOVE ALL IN slow"));
        await Task.Delay(1500);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using (var cancel = await RawClient.ConnectAsync(gateway))
            await cancel.SendAsync([.. RawClient.BigEndian(16), .. RawClient.BigEndian(80877102), .. key]);
        var messages = await c.ReadUntilAsync('Z', TimeSpan.FromSeconds(60));
        var elapsed = watch.Elapsed;
        var error = Assert.Single(messages, m => m.Type == 'E');
        Assert.Equal("57014", RawClient.SqlState(error.Payload));
        Assert.Equal("canceling statement due to user request", RawClient.Field(error.Payload, 'M'));
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"the cancel took {elapsed.TotalSeconds:F1} s");
        Assert.Equal((byte)'E', messages[^1].Payload[0]); // ReadyForQuery: the transaction block failed

        await c.SendAsync(RawClient.Query("ROLLBACK; SELECT 5"));
        Assert.Equal(["5"], (await c.ReadUntilAsync('Z')).Where(m => m.Type == 'D').Select(m => FirstField(m.Payload)));
    }
}
