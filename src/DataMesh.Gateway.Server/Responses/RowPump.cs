using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Statements;

namespace DataMesh.Gateway.Server.Responses;

/// <summary>
/// The one loop that moves rows from an engine cursor to a sink (DataRows, COPY lines, or nowhere for MOVE), batch by
/// batch: under the statement timeout, with the engine marked as streaming so a cancel interrupts the fetch, the
/// cancel flag and the grants the statement reads checked between batches, and the engine's errors diagnosed against
/// the asset files and translated.
/// </summary>
internal static class RowPump
{
    /// <param name="maxRows">Stop after this many rows (0: all).</param>
    public static async ValueTask<CursorStop> PumpAsync(StatementContext context, PreparedStatement statement, QueryCursor cursor,
        IRowSink sink, long maxRows)
    {
        var session = context.Session;
        using var timer = StatementTimer.Start(session, context.Options);
        // A SQL cursor streams on its own connection: that one is marked, so a cancel interrupts it.
        using var streaming = ((statement as EngineStatement)?.PreparedOn ?? session.Engine).EnterStreaming();
        var start = cursor.RowsAffected;
        try
        {
            while (true)
            {
                if (session.IsCancelRequested) throw EngineRuns.Canceled(session);
                EngineRuns.EnsureStillAllowed(context, statement);
                var remaining = maxRows > 0 ? maxRows - (cursor.RowsAffected - start) : 0;
                sink.BeginBatch();
                var stop = cursor.WriteRows(sink.Rows, sink.Formats, remaining, context.Options.WriteBatchBytes, sink.MaxRowBytes);
                await sink.EndBatchAsync(stop).ConfigureAwait(false);
                if (stop != CursorStop.BufferFull) return stop;
            }
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled)
        {
            throw EngineRuns.Canceled(session);
        }
        catch (PgErrorException e) when (statement.Plan is { } plan)
        {
            throw EngineRuns.Translate(context, e, plan, cursor.StartedUtc);
        }
    }
}
