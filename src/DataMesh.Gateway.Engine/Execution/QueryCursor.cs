using DataMesh.Gateway.Engine.Types;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DuckDB.NET.Native;
using static DuckDB.NET.Native.NativeMethods;

namespace DataMesh.Gateway.Engine.Execution;

/// <summary>Why <see cref="QueryCursor.WriteRows"/> returned.</summary>
public enum CursorStop
{
    /// <summary>The output passed its batch size: flush, then call again.</summary>
    BufferFull,

    /// <summary>The Execute row limit was reached; the cursor stays open (PortalSuspended).</summary>
    RowLimit,

    /// <summary>All rows were written.</summary>
    Completed,
}

/// <summary>
/// A running query's streaming result. Chunks are pulled from DuckDB only when the previous rows have been
/// encoded and the caller has flushed them, so a slow reader holds at most one chunk plus the socket buffer.
/// </summary>
public sealed unsafe class QueryCursor : IDisposable
{
    private DuckDBResult _result;
    private readonly ColumnEncoder[] _encoders;
    private DuckDBDataChunk? _chunk;
    private ulong _chunkSize;
    private ulong _row;
    private bool _exhausted;
    private bool _disposed;
    private int _rowSizeHint = 256;

    /// <summary>When the query started (wall clock): a failure while streaming is compared with the files' times.</summary>
    public DateTime StartedUtc { get; } = DateTime.UtcNow;

    internal QueryCursor(DuckDBResult result, IReadOnlyList<ResultColumn> columns, bool returnsRows, OutputStyle? style = null)
    {
        _result = result;
        Columns = columns;
        _encoders = new ColumnEncoder[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            _encoders[i] = columns[i].Type.CreateEncoder();
            if (style is not null) _encoders[i].Configure(style);
        }
        ReturnsRows = returnsRows;
        if (!returnsRows)
        {
            RowsAffected = Query.DuckDBRowsChanged(ref _result);
            _exhausted = true;
        }
    }

    public IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>Released with the cursor: what the query's reads need until its last row (cached object files).</summary>
    public IDisposable? Holds { get; set; }

    /// <summary>
    /// A check that runs alongside the engine's first chunk (the listing of an object store's pinned objects): no row
    /// is written until it has passed, and its error is the query's. Awaited once, after the first fetch.
    /// </summary>
    public Task? Gate { get; set; }

    public bool ReturnsRows { get; }

    /// <summary>Rows sent so far (for the SELECT n tag), or rows changed by DML.</summary>
    public long RowsAffected { get; private set; }

    public bool IsCompleted => _exhausted && _chunk is null;

    /// <summary>
    /// Encodes DataRows into <paramref name="writer"/> until the batch is full, <paramref name="maxRows"/> rows were
    /// written in this call (0 = no limit), or the result ends. A row that needs more than <paramref name="maxRowBytes"/>
    /// is 54000 before any of it is written: the output stays well-framed, so the session goes on.
    /// </summary>
    public CursorStop WriteRows(BackendWriter writer, FormatCode[] formats, long maxRows, long batchBytes, int maxRowBytes = int.MaxValue)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var output = writer.Output;
        var fieldCount = (short)_encoders.Length;
        Span<FormatCode> columnFormats = stackalloc FormatCode[_encoders.Length];
        for (var i = 0; i < columnFormats.Length; i++) columnFormats[i] = BindMessage.FormatFor(formats, i);
        long written = 0;

        while (true)
        {
            if (_chunk is null || _row >= _chunkSize)
            {
                var more = NextChunk();
                PassGate();
                if (!more) return CursorStop.Completed;
            }
            if (maxRows > 0 && written >= maxRows) return CursorStop.RowLimit;
            if (writer.PendingBytes >= batchBytes) return CursorStop.BufferFull;

            while (true)
            {
                var span = output.GetSpan(_rowSizeHint);
                var builder = new DataRowBuilder(span, fieldCount);
                for (var c = 0; c < _encoders.Length; c++) _encoders[c].Write(_row, ref builder, columnFormats[c]);
                var length = builder.Finish();
                if (length > maxRowBytes) throw RowTooLarge(maxRowBytes);
                if (length >= 0)
                {
                    output.Advance(length);
                    writer.AddPending(length);
                    break;
                }
                if (span.Length >= maxRowBytes) throw RowTooLarge(maxRowBytes);
                // Grow geometrically up to the limit itself, so a row just under it still fits.
                _rowSizeHint = (int)Math.Min((long)Math.Max(_rowSizeHint, span.Length) * 2, maxRowBytes);
            }
            _row++;
            written++;
            RowsAffected++;
        }
    }

    private void PassGate()
    {
        if (Gate is not { } gate) return;
        Gate = null;
        try
        {
            gate.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new PgErrorException(SqlState.QueryCanceled, "canceling statement due to user request");
        }
    }

    private static PgErrorException RowTooLarge(int maxRowBytes) => new(SqlState.ProgramLimitExceeded,
        $"result row exceeds the limit of {maxRowBytes} bytes",
        hint: "select fewer or shorter columns (for example with left() or substring())");

    private bool NextChunk()
    {
        _chunk?.Dispose();
        _chunk = null;
        if (_exhausted) return false;
        var chunk = StreamingResult.DuckDBStreamFetchChunk(_result);
        if (chunk.IsInvalid || DataChunks.DuckDBDataChunkGetSize(chunk) == 0)
        {
            chunk.Dispose();
            _exhausted = true;
            var error = Query.DuckDBResultError(ref _result);
            if (!string.IsNullOrEmpty(error))
                throw EngineErrors.FromMessage(error, Query.DuckDBResultErrorType(ref _result));
            return false;
        }
        _chunk = chunk;
        _chunkSize = DataChunks.DuckDBDataChunkGetSize(chunk);
        _row = 0;
        for (var c = 0; c < _encoders.Length; c++) _encoders[c].Bind(DataChunks.DuckDBDataChunkGetVector(chunk, c));
        return true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _chunk?.Dispose();
        _chunk = null;
        Query.DuckDBDestroyResult(ref _result);
        Holds?.Dispose();
    }
}
