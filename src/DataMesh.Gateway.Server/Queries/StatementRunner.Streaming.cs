using System.Buffers;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>Streaming a result: rows in batches, COPY out, and the completion of a statement.</summary>
public sealed partial class StatementRunner
{
    private async Task<CursorStop> StreamAsync(Session session, PreparedStatement statement, QueryCursor cursor, FormatCode[] formats, int maxRows)
    {
        using var timer = StatementTimer.Start(session, options);
        using var streaming = session.Engine.EnterStreaming();
        var start = cursor.RowsAffected;
        try
        {
            while (true)
            {
                if (session.IsCancelRequested) throw Canceled(session);
                EnsureStillAllowed(session, statement);
                var remaining = maxRows > 0 ? maxRows - (cursor.RowsAffected - start) : 0;
                var stop = cursor.WriteRows(Out, formats, remaining, options.WriteBatchBytes, options.MaxResultRowBytes);
                if (stop != CursorStop.BufferFull) return stop;
                await transport.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled)
        {
            throw Canceled(session);
        }
        catch (PgErrorException e) when (statement.Plan is { } plan)
        {
            throw TranslateEngineError(e, plan, cursor.StartedUtc);
        }
    }

    private async Task CopyOutAsync(Session session, PreparedStatement statement)
    {
        var copy = CopyCommand.Parse(statement.Statement);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            if (copy.Parquet) await CopyParquetAsync(session, statement, copy).ConfigureAwait(false);
            else await CopyRowsAsync(session, statement, copy).ConfigureAwait(false);
        }
        catch (PgErrorException e)
        {
            if (!e.Data.Contains(AuditedKey)) auditor.Failed(session.Access, statement, e, started);
            throw;
        }
    }

    private async Task CopyRowsAsync(Session session, PreparedStatement statement, CopyCommand copy)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var cursor = Start(session, statement, []);
        var formatter = new CopyRowFormatter(copy.Options, cursor.Columns.Select(c => c.Name).ToList());
        var line = new ArrayBufferWriter<byte>(1024);
        Out.CopyOutResponse(copy.Binary ? FormatCode.Binary : FormatCode.Text, cursor.Columns.Count);
        if (copy.Binary)
        {
            Out.CopyData(CopyRowFormatter.BinaryHeader);
        }
        else if (copy.Options.Header)
        {
            formatter.WriteHeader(cursor.Columns.Select(c => c.Name), line);
            Out.CopyData(line.WrittenSpan);
        }

        // Rows are encoded as DataRows into a scratch buffer, then re-framed as COPY lines (text, CSV) or, in binary, as
        // COPY tuples: a binary DataRow's body (field count, then length and bytes of each field) is a tuple as it is.
        var scratch = new ArrayBufferWriter<byte>(64 * 1024);
        var rowWriter = new BackendWriter(scratch);
        using var timer = StatementTimer.Start(session, options);
        using var streaming = session.Engine.EnterStreaming();
        FormatCode[] formats = [copy.Binary ? FormatCode.Binary : FormatCode.Text];
        try
        {
            while (true)
            {
                if (session.IsCancelRequested) throw Canceled(session);
                EnsureStillAllowed(session, statement);
                scratch.ResetWrittenCount();
                rowWriter.ResetPending();
                var stop = cursor.WriteRows(rowWriter, formats, 0, options.WriteBatchBytes, options.MaxResultRowBytes);
                var rows = scratch.WrittenSpan;
                while (!rows.IsEmpty)
                {
                    var length = 1 + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(rows[1..]);
                    if (copy.Binary)
                    {
                        Out.CopyData(rows[5..length]);
                    }
                    else
                    {
                        line.ResetWrittenCount();
                        formatter.WriteRow(rows[..length], line);
                        Out.CopyData(line.WrittenSpan);
                    }
                    rows = rows[length..];
                }
                if (Out.PendingBytes >= options.WriteBatchBytes) await transport.FlushAsync().ConfigureAwait(false);
                if (stop == CursorStop.Completed) break;
            }
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled)
        {
            throw Canceled(session);
        }
        catch (PgErrorException e) when (statement.Plan is { } plan)
        {
            throw TranslateEngineError(e, plan, cursor.StartedUtc);
        }
        if (copy.Binary) Out.CopyData(CopyRowFormatter.BinaryTrailer);
        Out.CopyDone();
        Out.CommandComplete($"COPY {cursor.RowsAffected}");
        auditor.Completed(session.Access, statement, cursor.RowsAffected, started);
    }

    private void Complete(Session session, StatementOutcome outcome, bool sendRowDescription)
    {
        foreach (var (severity, state, message) in outcome.Notices)
            if (session.Parameters.SendsNotice(severity)) Out.Notice(severity, state, message); // client_min_messages
        if (outcome.HasRow)
        {
            if (sendRowDescription) Out.RowDescription([outcome.RowField]);
            if (outcome.ResultValue is { } value) WriteTextRow(value); // none: a query form that matched no row
        }
        Out.CommandComplete(outcome.Tag);
        foreach (var name in outcome.ChangedParameters) Out.ParameterStatus(name, session.Parameters.Get(name));
    }

    private void WriteTextRow(string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        var span = Out.Output.GetSpan(11 + bytes.Length);
        var builder = new DataRowBuilder(span, 1);
        bytes.CopyTo(builder.Free);
        builder.Commit(bytes.Length);
        var n = builder.Finish();
        Out.Output.Advance(n);
        Out.AddPending(n);
    }

    private static PgErrorException Canceled(Session session) => session.CancelReason == CancelReasons.Shutdown
        ? PgErrorException.Fatal(SqlState.AdminShutdown, CancelReasons.Shutdown)
        : new PgErrorException(SqlState.QueryCanceled, session.CancelReason ?? CancelReasons.UserRequest);
}
