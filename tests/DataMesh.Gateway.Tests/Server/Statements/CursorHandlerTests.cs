using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Statements;
using static DataMesh.Gateway.Tests.Server.Statements.StatementHarness;

namespace DataMesh.Gateway.Tests.Server.Statements;

// DataMesh.Gateway.Portal (the web portal project) is a namespace nearer than the using directives above.
using Portal = DataMesh.Gateway.Server.Sessions.Portal;

/// <summary>DeclareHandler, FetchHandler and CloseHandler without a socket: SQL cursors as named portals.</summary>
public sealed class CursorHandlerTests : IAsyncLifetime
{
    private readonly StatementHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    private async Task<List<(char Type, byte[] Payload)>> RunAsync(StatementContext c, string sql)
    {
        var result = Execute(c, sql, out _);
        return await _h.WriteAsync(c, result);
    }

    [Fact]
    public async Task Declare_opens_a_governed_cursor_that_fetch_reads_and_move_skips()
    {
        var c = _h.Open("consumer", "research");
        c.Session.TransactionStatus = TransactionStatus.InTransaction;
        Assert.Equal("DECLARE CURSOR", Tag(await RunAsync(c, "DECLARE cur CURSOR FOR SELECT item_id FROM marketing.sales ORDER BY item_id")));
        var cursor = c.Session.Portals["cur"];
        Assert.True(cursor.IsSqlCursor);
        Assert.NotNull(cursor.Cursor);

        var fetch = Assert.IsType<RowsResult>(Execute(c, "FETCH 3 FROM cur", out _));
        Assert.Equal(("FETCH", 3L, false, true), (fetch.Verb, fetch.MaxRows, fetch.Discard, fetch.CloseOnError));
        var rows = await _h.WriteAsync(c, fetch);
        Assert.Equal("TDDDC", Types(rows));
        Assert.Equal(["3", "6", "9"], Rows(rows).Select(r => r[0]));

        var move = await RunAsync(c, "MOVE 5 IN cur");
        Assert.Equal("C", Types(move)); // no rows, no RowDescription
        Assert.Equal("MOVE 5", Tag(move));
        var rest = await RunAsync(c, "FETCH ALL FROM cur");
        Assert.Equal(["27", "30"], Rows(rest).Select(r => r[0]));
        Assert.Equal("FETCH 2", Tag(rest));
        Assert.True(cursor.Completed);
        Assert.Null(cursor.Cursor);
        Assert.Equal(1, _h.Metrics.QueriesOk); // audited once, when the cursor ran out

        // A finished cursor still describes its columns and answers 0 rows.
        var again = await RunAsync(c, "FETCH 1 FROM cur");
        Assert.Equal("TC", Types(again));
        Assert.Equal("FETCH 0", Tag(again));

        Assert.Equal("CLOSE CURSOR", Tag(await RunAsync(c, "CLOSE cur")));
        Assert.False(c.Session.Portals.ContainsKey("cur"));
    }

    [Fact]
    public void Declare_outside_a_transaction_block_and_a_duplicate_name_are_refused()
    {
        var c = _h.Open();
        Assert.Equal(SqlState.NoActiveSqlTransaction,
            Assert.Throws<PgErrorException>(() => Execute(c, "DECLARE c1 CURSOR FOR SELECT 1", out _)).SqlState);
        Assert.IsType<CommandResult>(Execute(c, "DECLARE c1 CURSOR WITH HOLD FOR SELECT 1", out _));
        Assert.Equal(SqlState.DuplicateCursor,
            Assert.Throws<PgErrorException>(() => Execute(c, "DECLARE c1 CURSOR WITH HOLD FOR SELECT 2", out _)).SqlState);
    }

    [Fact]
    public void Fetch_describes_the_cursor_in_the_binds_formats_or_the_cursors_own()
    {
        var c = _h.Open();
        Execute(c, "DECLARE b BINARY CURSOR WITH HOLD FOR SELECT amount FROM sales", out _);
        var fetch = Prepare(c, "FETCH 1 FROM b");
        Assert.Equal(FormatCode.Binary, Assert.Single(fetch.Handler.DescribeStatement(c, fetch)!).Format);
        var text = new Portal("", fetch, [], [FormatCode.Text]);
        Assert.Equal(FormatCode.Text, Assert.Single(fetch.Handler.DescribePortal(c, text)!).Format);
        Assert.Null(Prepare(c, "MOVE 1 IN b").Handler.DescribeStatement(c, Prepare(c, "MOVE 1 IN b")));
        var unknown = Prepare(c, "FETCH 1 FROM nowhere");
        Assert.Equal(SqlState.InvalidCursorName, Assert.Throws<PgErrorException>(() => unknown.Handler.DescribeStatement(c, unknown)).SqlState);
    }

    [Fact]
    public async Task A_failed_fetch_closes_the_cursor_and_is_audited_as_the_cursors_query()
    {
        var c = _h.Open("consumer", "research");
        Execute(c, "DECLARE f CURSOR WITH HOLD FOR SELECT item_id FROM marketing.sales", out _);
        c.Session.RequestCancel(DataMesh.Gateway.Server.Cancellation.CancelReasons.UserRequest);
        var fetch = Execute(c, "FETCH ALL FROM f", out _);
        var e = await Assert.ThrowsAsync<PgErrorException>(() => _h.WriteAsync(c, fetch));
        c.Session.ClearCancel();
        Assert.Equal(SqlState.QueryCanceled, e.SqlState);
        var failure = Assert.IsType<AuditNote.Failure>(AuditNote.Of(e));
        Assert.Equal("SELECT item_id FROM marketing.sales", failure.Statement.Source.Text);
        Assert.False(c.Session.Portals.ContainsKey("f"));
    }

    [Fact]
    public void Close_of_an_unknown_cursor_is_34000_and_close_all_closes_only_sql_cursors()
    {
        var c = _h.Open();
        Assert.Equal(SqlState.InvalidCursorName, Assert.Throws<PgErrorException>(() => Execute(c, "CLOSE nowhere", out _)).SqlState);
        Execute(c, "DECLARE a CURSOR WITH HOLD FOR SELECT 1", out _);
        var plain = Prepare(c, "SELECT 2");
        c.Session.Portals["p"] = new Portal("p", plain, [], []);
        Assert.Equal("CLOSE CURSOR ALL", Assert.IsType<CommandResult>(Execute(c, "CLOSE ALL", out _)).Tag);
        Assert.Equal(["p"], c.Session.Portals.Keys);
    }
}
