using System.Buffers;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// SQL-level cursors (DECLARE / FETCH / MOVE / CLOSE), as psycopg2's named cursors, psycopg 3's ServerCursor and
/// Tableau send them. A cursor is a named portal over its own prepared statement: its query is planned by the same
/// governed rewrite as a plain SELECT, revalidated against the current grants when it starts, and every FETCH
/// re-checks that the grant it was planned from still stands, so a revoked subscription stops an open cursor.
/// </summary>
public sealed partial class StatementRunner
{
    /// <summary>Prepares DECLARE: its query is governed now, so a refusal comes at Parse.</summary>
    private PreparedStatement PrepareDeclare(Session session, string name, DeclareCursorStatement declare, int[] declaredOids)
    {
        var inner = PrepareCursorQuery(session, name, declare, declaredOids);
        var prepared = new PreparedStatement(name, declare.Source, StatementKind.Cursor, inner.ParameterOids, inner.EngineQuery)
        {
            EngineText = inner.EngineText,
            Parsed = declare,
        };
        prepared.SetPlan(inner.Plan!);
        return prepared;
    }

    /// <summary>The cursor's query as a statement of its own (the grammar let only a query through).</summary>
    private PreparedStatement PrepareCursorQuery(Session session, string name, DeclareCursorStatement declare, int[] declaredOids)
    {
        FollowGrants(session);
        return PrepareQuery(session, name, declare.Query, declaredOids);
    }

    private async Task<bool> ExecuteCursorAsync(Session session, Portal portal, bool sendRowDescription)
    {
        switch (portal.Statement.Parsed)
        {
            case DeclareCursorStatement declare:
                Declare(session, portal, declare);
                break;
            case FetchStatement fetch:
                await FetchAsync(session, fetch, portal.ResultFormats, sendRowDescription).ConfigureAwait(false);
                break;
            case CloseCursorStatement close:
                Close(session, close);
                break;
        }
        return false;
    }

    private void Declare(Session session, Portal declaring, DeclareCursorStatement declare)
    {
        if (!declare.Hold && session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "DECLARE CURSOR can only be used in transaction blocks");
        if (session.Portals.ContainsKey(declare.Name))
            throw new PgErrorException(SqlState.DuplicateCursor, $"cursor \"{declare.Name}\" already exists");
        Revalidate(session, declaring.Statement); // a DECLARE prepared earlier is refused once its grant is gone
        var own = PrepareCursorQuery(session, "", declare, declaring.Statement.ParameterOids);
        var cursor = new Portal(declare.Name, own, declaring.Parameters, declare.Binary ? [FormatCode.Binary] : [])
        {
            IsSqlCursor = true,
            Hold = declare.Hold,
            InOpenTransaction = session.TransactionStatus != TransactionStatus.Idle,
            Sequence = session.NextCursorSequence(),
            StartedAt = System.Diagnostics.Stopwatch.GetTimestamp(),
        };
        try
        {
            cursor.Cursor = Start(session, own, declaring.Parameters);
        }
        catch (PgErrorException e)
        {
            if (!e.Data.Contains(AuditedKey)) auditor.Failed(session.Access, own, e, cursor.StartedAt.Value);
            cursor.Dispose();
            throw;
        }
        session.Portals[declare.Name] = cursor;
        Out.CommandComplete("DECLARE CURSOR");
    }

    private async Task FetchAsync(Session session, FetchStatement fetch, FormatCode[] requestedFormats, bool sendRowDescription)
    {
        var cursor = FindCursor(session, fetch.Name);
        var verb = fetch.Move ? "MOVE" : "FETCH";
        var query = cursor.Cursor;
        if (cursor.Completed || query is null)
        {
            if (sendRowDescription && !fetch.Move && query is null && cursor.Statement.EngineQuery is { } prepared)
                Out.RowDescription(Describe(prepared.Columns, FetchFormats(cursor, requestedFormats)));
            Out.CommandComplete($"{verb} 0");
            return;
        }
        var formats = FetchFormats(cursor, requestedFormats);
        if (sendRowDescription && !fetch.Move) Out.RowDescription(Describe(query.Columns, formats));
        var before = query.RowsAffected;
        try
        {
            var stop = fetch.Move
                ? Skip(session, cursor.Statement, query, fetch.Count)
                : await StreamAsync(session, cursor.Statement, query, formats, (int)Math.Min(fetch.Count, int.MaxValue)).ConfigureAwait(false);
            Out.CommandComplete($"{verb} {query.RowsAffected - before}");
            if (stop == Engine.Execution.CursorStop.Completed)
            {
                auditor.Completed(session.Access, cursor.Statement, query.RowsAffected, cursor.StartedAt!.Value);
                cursor.Completed = true;
                query.Dispose();
                cursor.Cursor = null;
            }
        }
        catch (PgErrorException e)
        {
            if (!e.Data.Contains(AuditedKey)) auditor.Failed(session.Access, cursor.Statement, e, cursor.StartedAt!.Value);
            // PostgreSQL leaves a cursor that failed unusable; here it is closed outright so it cannot stream again.
            session.Portals.Remove(cursor.Name);
            cursor.Dispose();
            throw;
        }
    }

    /// <summary>The Bind's result formats for a FETCH in the extended protocol, else the cursor's own (BINARY or text).</summary>
    private static FormatCode[] FetchFormats(Portal cursor, FormatCode[] requested) => requested.Length > 0 ? requested : cursor.ResultFormats;

    /// <summary>MOVE: reads and drops rows (the stream is forward-only), still checking the grant between batches.</summary>
    private Engine.Execution.CursorStop Skip(Session session, PreparedStatement statement, Engine.Execution.QueryCursor query, long count)
    {
        var scratch = new ArrayBufferWriter<byte>(64 * 1024);
        var writer = new BackendWriter(scratch);
        var start = query.RowsAffected;
        using var timer = StatementTimer.Start(session, options);
        FormatCode[] text = [FormatCode.Text];
        try
        {
            while (true)
            {
                if (session.IsCancelRequested) throw Canceled(session);
                EnsureStillAllowed(session, statement);
                scratch.ResetWrittenCount();
                writer.ResetPending();
                var remaining = count > 0 ? count - (query.RowsAffected - start) : 0;
                var stop = query.WriteRows(writer, text, remaining, options.WriteBatchBytes);
                if (stop != Engine.Execution.CursorStop.BufferFull) return stop;
            }
        }
        catch (PgErrorException e) when (e.SqlState == SqlState.QueryCanceled)
        {
            throw Canceled(session);
        }
        catch (PgErrorException e) when (statement.Plan is { } plan)
        {
            throw GovernedErrors.Translate(e, plan);
        }
    }

    /// <summary>CLOSE name | CLOSE ALL.</summary>
    private void Close(Session session, CloseCursorStatement close)
    {
        if (close.Name is not { } name)
        {
            session.ClosePortalsWhere(p => p.IsSqlCursor);
            Out.CommandComplete("CLOSE CURSOR ALL");
            return;
        }
        var cursor = FindCursor(session, name);
        session.Portals.Remove(name);
        cursor.Dispose();
        Out.CommandComplete("CLOSE CURSOR");
    }

    private static Portal FindCursor(Session session, string name) =>
        session.Portals.TryGetValue(name, out var portal) && portal.Statement.Kind == StatementKind.EngineQuery
            ? portal
            : throw new PgErrorException(SqlState.InvalidCursorName, $"cursor \"{name}\" does not exist");

    /// <summary>Describe of a FETCH: the open cursor's columns (a FETCH of a cursor that does not exist is 34000).</summary>
    private void DescribeFetch(Session session, PreparedStatement statement, FormatCode[] formats)
    {
        if (statement.Parsed is not FetchStatement { Move: false } fetch)
        {
            Out.NoData();
            return;
        }
        var cursor = FindCursor(session, fetch.Name);
        var columns = cursor.Cursor?.Columns ?? cursor.Statement.EngineQuery!.Columns;
        Out.RowDescription(Describe(columns, FetchFormats(cursor, formats)));
    }
}
