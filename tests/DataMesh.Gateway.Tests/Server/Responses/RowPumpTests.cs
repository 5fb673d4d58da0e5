using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Statements;
using DataMesh.Gateway.Tests.Server.Statements;
using static DataMesh.Gateway.Tests.Server.Statements.StatementHarness;

namespace DataMesh.Gateway.Tests.Server.Responses;

// DataMesh.Gateway.Portal (the web portal project) is a namespace nearer than the using directives above.
using Portal = DataMesh.Gateway.Server.Sessions.Portal;

/// <summary>The one row pump without a socket: sinks, row limits, backpressure flushes, and the checks between batches.</summary>
public sealed class RowPumpTests : IAsyncLifetime
{
    private readonly StatementHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    private (StatementContext Context, PreparedStatement Statement, QueryCursor Cursor) Start(string sql, string user = "owner", string project = "marketing")
    {
        var c = _h.Open(user, project);
        var prepared = Prepare(c, sql);
        var portal = new Portal("", prepared, [], []);
        Assert.IsType<RowsResult>(prepared.Handler.Execute(c, portal, 0));
        return (c, prepared, portal.Cursor!);
    }

    [Fact]
    public async Task Data_rows_stop_at_the_row_limit_and_flush_each_full_batch()
    {
        var (c, statement, cursor) = Start("SELECT x, repeat('y', 100) AS pad FROM range(50) t(x)");
        var sink = new DataRowSink(_h.Output, [FormatCode.Text], int.MaxValue);
        Assert.Equal(CursorStop.RowLimit, await RowPump.PumpAsync(c, statement, cursor, sink, 40));
        Assert.Equal(40, Rows(_h.Output.Take()).Count);
        Assert.True(_h.Output.Flushes >= 3, $"{_h.Output.Flushes} flushes for 40 rows of ~110 bytes in 1 KiB batches");
        Assert.Equal(CursorStop.Completed, await RowPump.PumpAsync(c, statement, cursor, sink, 0));
        Assert.Equal(10, Rows(_h.Output.Take()).Count);
    }

    [Fact]
    public async Task The_discard_sink_reads_rows_without_writing_anything()
    {
        var (c, statement, cursor) = Start("SELECT x FROM range(5000) t(x)");
        Assert.Equal(CursorStop.RowLimit, await RowPump.PumpAsync(c, statement, cursor, new DiscardSink(), 4000));
        Assert.Equal(4000, cursor.RowsAffected);
        Assert.Empty(_h.Output.Take());
    }

    [Fact]
    public async Task A_cancel_stops_the_pump_with_57014()
    {
        var (c, statement, cursor) = Start("SELECT x FROM range(5000) t(x)");
        c.Session.RequestCancel(DataMesh.Gateway.Server.Cancellation.CancelReasons.UserRequest);
        var e = await Assert.ThrowsAsync<PgErrorException>(() => RowPump.PumpAsync(c, statement, cursor, new DiscardSink(), 0).AsTask());
        c.Session.ClearCancel();
        Assert.Equal((SqlState.QueryCanceled, "canceling statement due to user request"), (e.SqlState, e.Message));
    }

    [Fact]
    public async Task A_grant_revoked_while_rows_stream_closes_the_result_with_42501()
    {
        var (c, statement, cursor) = Start("SELECT item_id FROM marketing.sales", "consumer", "research");
        _h.Catalog.Change(w =>
        {
            var s = w.GetSubscription(1)!;
            w.UpdateSubscription(s with { StoredStatus = DataMesh.Gateway.Catalog.Model.SubscriptionStatus.Revoked });
            return 0;
        });
        var e = await Assert.ThrowsAsync<PgErrorException>(() => RowPump.PumpAsync(c, statement, cursor, new DiscardSink(), 0).AsTask());
        Assert.Equal(SqlState.InsufficientPrivilege, e.SqlState);
        Assert.Contains("revoked or has expired", e.Message);
    }

    [Fact]
    public async Task Copy_lines_are_re_framed_from_text_rows()
    {
        var (c, statement, cursor) = Start("SELECT 'a\tb' AS s, NULL AS n UNION ALL SELECT 'c', 1");
        var copy = (DataMesh.Gateway.Sql.Statements.CopyOutStatement)DataMesh.Gateway.Sql.Statements.StatementParser.Parse(
            Assert.Single(DataMesh.Gateway.Sql.Lexing.StatementSplitter.Split("COPY (SELECT 1) TO STDOUT")));
        var sink = new CopyDataSink(_h.Output, new CopyRowFormatter(copy.Options, ["s", "n"]), binary: false, int.MaxValue, 1024);
        Assert.Equal(CursorStop.Completed, await RowPump.PumpAsync(c, statement, cursor, sink, 0));
        var lines = _h.Output.Take().Select(m => System.Text.Encoding.UTF8.GetString(m.Payload)).Order().ToList();
        Assert.Equal(["a\\tb\t\\N\n", "c\t1\n"], lines);
    }
}
