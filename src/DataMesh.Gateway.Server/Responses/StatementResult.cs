using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Statements;

namespace DataMesh.Gateway.Server.Responses;

/// <summary>
/// What a statement handler answers, as a value (pgwire's <c>Response</c>); <see cref="ResponseWriter"/> alone puts it
/// on the wire. A closed set: a command tag, rows from an engine cursor, admin rows, a COPY, an empty query.
/// </summary>
internal abstract record StatementResult;

/// <summary>EmptyQueryResponse: the statement had no tokens.</summary>
internal sealed record EmptyResult : StatementResult
{
    public static readonly EmptyResult Instance = new();
}

/// <summary>A warning or notice sent before a gateway-answered statement's tag.</summary>
internal readonly record struct Notice(PgErrorSeverity Severity, string SqlState, string Message);

/// <summary>
/// A command tag, with what a gateway-answered statement reports around it: notices first, a RowDescription when the
/// protocol sends one, one text row (SHOW, set_config), then ParameterStatus for the reportable settings that changed.
/// </summary>
internal sealed record CommandResult(string Tag) : StatementResult
{
    /// <summary>The columns of the RowDescription the simple protocol sends; null: none.</summary>
    public IReadOnlyList<FieldDescription>? Fields { get; init; }

    public string? TextRow { get; init; }

    public IReadOnlyList<Notice> Notices { get; init; } = [];

    /// <summary>Reportable parameters whose value changed; their new value is read when the result is written.</summary>
    public IReadOnlyList<string> ChangedParameters { get; init; } = [];

    /// <summary>A workspace write: audited as a completed query once its tag is written.</summary>
    public CompletedRun? Audit { get; init; }
}

/// <summary>A statement that ran to completion: the audit record's subject, its row count and its start (Stopwatch ticks).</summary>
internal sealed record CompletedRun(PreparedStatement Statement, long Rows, long StartedAt);

/// <summary>
/// Rows from the engine cursor of <see cref="Source"/> (a portal, or a SQL cursor for FETCH and MOVE), pumped into
/// DataRows (or dropped, for MOVE) up to <see cref="MaxRows"/> (0: all), then tagged <c>Verb n</c>.
/// </summary>
internal sealed record RowsResult(Portal Source, FormatCode[] Formats, long MaxRows, string Verb) : StatementResult
{
    /// <summary>An Execute with a row limit: PortalSuspended at the limit (a FETCH's count ends with its tag instead).</summary>
    public bool SuspendAtLimit { get; init; }

    /// <summary>MOVE: the rows are read and dropped.</summary>
    public bool Discard { get; init; }

    /// <summary>FETCH and MOVE: a failure closes the cursor (PostgreSQL leaves it unusable).</summary>
    public bool CloseOnError { get; init; }

    /// <summary>SQL EXECUTE: the portal is its own, closed once its rows are written (or failed).</summary>
    public bool DisposeSource { get; init; }
}

/// <summary><c>COPY … TO STDOUT</c> from a started engine cursor, which the writer owns and closes.</summary>
internal sealed record CopyOutResult(PreparedCopyOut Statement, QueryCursor Cursor, long StartedAt) : StatementResult;

/// <summary><c>COPY … TO STDOUT (FORMAT parquet)</c>: a governed Parquet file the writer sends, then deletes.</summary>
internal sealed record CopyParquetResult(PreparedCopyOut Statement, string File, long Rows, long StartedAt) : StatementResult;

/// <summary>An admin command's result set (or just its tag).</summary>
internal sealed record AdminRowsResult(AdminResult Result, FormatCode[] Formats) : StatementResult;
