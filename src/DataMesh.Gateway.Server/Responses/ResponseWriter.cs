using System.Buffers;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Connections;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Observability;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Statements;

namespace DataMesh.Gateway.Server.Responses;

/// <summary>
/// The one writer of statement results: the only code that writes RowDescription, DataRow, CommandComplete,
/// PortalSuspended and ErrorResponse. It also does what goes with them: a statement's error moves an open transaction
/// block to failed and is counted by SQLSTATE, and every query's outcome is audited here (completed when its last row
/// is written, failed or refused from the note its error carries).
/// </summary>
internal sealed class ResponseWriter(IWireOutput output, GatewayServerOptions options, QueryAuditor auditor, GatewayMetrics metrics)
{
    private BackendWriter Out => output.Backend;

    /// <summary>Describe of a statement: ParameterDescription (the fields follow with <see cref="Fields"/>).</summary>
    public void ParameterDescription(int[] parameterOids) => Out.ParameterDescription(parameterOids);

    /// <summary>RowDescription, or NoData for a statement that returns no rows.</summary>
    public void Fields(IReadOnlyList<FieldDescription>? fields)
    {
        if (fields is null) Out.NoData();
        else Out.RowDescription(fields);
    }

    /// <summary>
    /// Writes one statement's result. <paramref name="describe"/>: send the RowDescription first (the simple protocol;
    /// the extended one sends it at Describe). Returns true when a portal stopped at its row limit (PortalSuspended).
    /// </summary>
    public async ValueTask<bool> WriteAsync(StatementContext context, StatementResult result, bool describe)
    {
        switch (result)
        {
            case EmptyResult:
                Out.EmptyQueryResponse();
                return false;
            case CommandResult command:
                WriteCommand(context.Session, command, describe);
                return false;
            case AdminRowsResult { Result.Copy: { } copy }:
                await WriteAdminCopyAsync(context, copy).ConfigureAwait(false);
                return false;
            case AdminRowsResult admin:
                foreach (var notice in admin.Result.Notices)
                    Out.Notice(PgErrorSeverity.Notice, SqlState.SuccessfulCompletion, notice.Message, notice.Detail, notice.Hint);
                if (describe && admin.Result.Columns.Count > 0) Out.RowDescription(AdminRows.Describe(admin.Result, admin.Formats));
                AdminRows.WriteRows(Out, admin.Result, admin.Formats);
                Out.CommandComplete(AdminRows.CommandTag(admin.Result));
                return false;
            case RowsResult rows:
                return await WriteRowsAsync(context, rows, describe).ConfigureAwait(false);
            case CopyOutResult copy:
                await WriteCopyAsync(context, copy).ConfigureAwait(false);
                return false;
            case CopyParquetResult parquet:
                await WriteParquetAsync(context, parquet).ConfigureAwait(false);
                return false;
            default:
                throw new InvalidOperationException($"no writer for {result.GetType().Name}");
        }
    }

    /// <summary>
    /// A statement failed: ErrorResponse, counted by SQLSTATE, audited from its note, and an open transaction block
    /// becomes failed (25P02 until ROLLBACK). The caller decides what follows (ReadyForQuery, or skipping to Sync).
    /// </summary>
    public void Error(Session session, PgErrorException error)
    {
        Audit(session, error);
        metrics.ErrorSent(error.SqlState);
        Out.Error(error);
        if (session.TransactionStatus == TransactionStatus.InTransaction) session.TransactionStatus = TransactionStatus.Failed;
    }

    /// <summary>A FATAL error (before or after sign-in): written and flushed, best effort; the connection closes next.</summary>
    public async Task FatalAsync(Session? session, PgErrorException error)
    {
        if (session is not null) Audit(session, error);
        metrics.ErrorSent(error.SqlState);
        try
        {
            Out.Error(error);
            await output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The client may be gone; the connection closes either way.
        }
    }

    /// <summary>A FATAL error before the connection has its transport (a bad startup packet): straight to the stream.</summary>
    public static async Task FatalBeforeStartupAsync(Stream stream, PgErrorException error, GatewayMetrics metrics)
    {
        metrics.ErrorSent(error.SqlState);
        try
        {
            var buffer = new ArrayBufferWriter<byte>();
            new BackendWriter(buffer).Error(error);
            await stream.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // best effort
        }
    }

    private void Audit(Session session, PgErrorException error)
    {
        switch (AuditNote.Of(error))
        {
            case AuditNote.Refusal refusal:
                auditor.Refused(session.Access, refusal.UserText, error);
                break;
            case AuditNote.Failure failure:
                auditor.Failed(session.Access, failure.Statement, error, failure.StartedAt);
                break;
        }
    }

    private void WriteCommand(Session session, CommandResult command, bool describe)
    {
        foreach (var notice in command.Notices)
            if (session.Parameters.SendsNotice(notice.Severity)) Out.Notice(notice.Severity, notice.SqlState, notice.Message); // client_min_messages
        if (describe && command.Fields is { } fields) Out.RowDescription(fields);
        if (command.TextRow is { } value) WriteTextRow(value);
        Out.CommandComplete(command.Tag);
        foreach (var name in command.ChangedParameters) Out.ParameterStatus(name, session.Parameters.Get(name));
        if (command.Audit is { } run) auditor.Completed(session.Access, run.Statement, run.Rows, run.StartedAt);
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

    private async ValueTask<bool> WriteRowsAsync(StatementContext context, RowsResult rows, bool describe)
    {
        if (!rows.DisposeSource) return await PumpRowsAsync(context, rows, describe).ConfigureAwait(false);
        try
        {
            return await PumpRowsAsync(context, rows, describe).ConfigureAwait(false);
        }
        finally
        {
            rows.Source.Dispose();
        }
    }

    private async ValueTask<bool> PumpRowsAsync(StatementContext context, RowsResult rows, bool describe)
    {
        var source = rows.Source;
        var cursor = source.Cursor!;
        var startedAt = source.StartedAt ??= System.Diagnostics.Stopwatch.GetTimestamp();
        // A FETCH describes the cursor query's base tables as PostgreSQL does (psqlODBC's cursor mode looks them up
        // between FETCHes, which the cursor's own engine connection survives: OdbcTests.Cursor_mode_…).
        var origins = (source.Statement as EngineStatement)?.ColumnOrigins;
        if (describe && !rows.Discard) Out.RowDescription(Responses.Fields.For(cursor.Columns, rows.Formats, origins));
        IRowSink sink = rows.Discard ? new DiscardSink() : new DataRowSink(output, rows.Formats, options.MaxResultRowBytes);
        var before = cursor.RowsAffected;
        CursorStop stop;
        try
        {
            stop = await RowPump.PumpAsync(context, source.Statement, cursor, sink, rows.MaxRows).ConfigureAwait(false);
        }
        catch (PgErrorException e)
        {
            AuditNote.Failed(e, source.Statement, startedAt);
            if (rows.CloseOnError)
            {
                context.Session.Portals.Remove(source.Name);
                source.Dispose();
            }
            throw;
        }
        if (stop == CursorStop.RowLimit && rows.SuspendAtLimit)
        {
            Out.PortalSuspended();
            return true;
        }
        // As in PostgreSQL, the tag counts the rows of this Execute or FETCH, not of the whole portal.
        Out.CommandComplete($"{rows.Verb} {cursor.RowsAffected - before}");
        if (stop == CursorStop.Completed)
        {
            auditor.Completed(context.Session.Access, source.Statement, cursor.RowsAffected, startedAt);
            source.Finish();
        }
        return false;
    }

    private async ValueTask WriteCopyAsync(StatementContext context, CopyOutResult copy)
    {
        using var cursor = copy.Cursor;
        var statement = copy.Statement.Copy;
        var formatter = new CopyRowFormatter(statement.Options, cursor.Columns.Select(c => c.Name).ToList());
        Out.CopyOutResponse(statement.Binary ? FormatCode.Binary : FormatCode.Text, cursor.Columns.Count);
        if (statement.Binary)
        {
            Out.CopyData(CopyRowFormatter.BinaryHeader);
        }
        else if (statement.Options.Header)
        {
            var line = new ArrayBufferWriter<byte>(1024);
            formatter.WriteHeader(cursor.Columns.Select(c => c.Name), line);
            Out.CopyData(line.WrittenSpan);
        }
        try
        {
            var sink = new CopyDataSink(output, formatter, statement.Binary, options.MaxResultRowBytes, options.WriteBatchBytes);
            await RowPump.PumpAsync(context, copy.Statement, cursor, sink, 0).ConfigureAwait(false);
        }
        catch (PgErrorException e)
        {
            AuditNote.Failed(e, copy.Statement, copy.StartedAt);
            throw;
        }
        if (statement.Binary) Out.CopyData(CopyRowFormatter.BinaryTrailer);
        Out.CopyDone();
        Out.CommandComplete($"COPY {cursor.RowsAffected}");
        auditor.Completed(context.Session.Access, copy.Statement, cursor.RowsAffected, copy.StartedAt);
    }

    /// <summary>
    /// An admin command's answer as COPY OUT data (EXPORT AUDIT): its chunks are produced while they are sent, flushed
    /// as the client takes them, and a cancel stops the export between chunks.
    /// </summary>
    private async ValueTask WriteAdminCopyAsync(StatementContext context, Admin.AdminCopy copy)
    {
        Out.CopyOutResponse(copy.Binary ? FormatCode.Binary : FormatCode.Text, copy.ColumnCount);
        foreach (var chunk in copy.Chunks)
        {
            if (context.Session.IsCancelRequested) throw EngineRuns.Canceled(context.Session);
            Out.CopyData(chunk.Span);
            if (Out.PendingBytes >= options.WriteBatchBytes) await output.FlushAsync().ConfigureAwait(false);
        }
        Out.CopyDone();
        Out.CommandComplete($"COPY {copy.Rows}");
    }

    /// <summary>
    /// The governed rows as one Parquet file, sent as binary COPY data in 64 KiB messages (flushed as the client takes
    /// them), then deleted. Audited like the query.
    /// </summary>
    private async ValueTask WriteParquetAsync(StatementContext context, CopyParquetResult copy)
    {
        try
        {
            await using var stream = new FileStream(copy.File, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            Out.CopyOutResponse(FormatCode.Binary, copy.Statement.EngineQuery?.Columns.Count ?? 0);
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                if (context.Session.IsCancelRequested) throw EngineRuns.Canceled(context.Session);
                Out.CopyData(buffer.AsSpan(0, n));
                if (Out.PendingBytes >= options.WriteBatchBytes) await output.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (PgErrorException e)
        {
            AuditNote.Failed(e, copy.Statement, copy.StartedAt);
            throw;
        }
        finally
        {
            File.Delete(copy.File);
        }
        Out.CopyDone();
        Out.CommandComplete($"COPY {copy.Rows}");
        auditor.Completed(context.Session.Access, copy.Statement, copy.Rows, copy.StartedAt);
    }
}
