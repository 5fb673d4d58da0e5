using System.Buffers;
using System.Buffers.Binary;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Connections;

namespace DataMesh.Gateway.Server.Responses;

/// <summary>Where <see cref="RowPump"/> puts a cursor's rows: the engine encodes DataRows into <see cref="Rows"/>.</summary>
internal interface IRowSink
{
    BackendWriter Rows { get; }

    FormatCode[] Formats { get; }

    /// <summary>A longer row is 54000 before any of it is written.</summary>
    int MaxRowBytes { get; }

    void BeginBatch();

    /// <summary>After each batch: pass the rows on, and flush when the output is full.</summary>
    ValueTask EndBatchAsync(CursorStop stop);
}

/// <summary>DataRows straight into the connection's output, flushed whenever a batch is full (backpressure).</summary>
internal sealed class DataRowSink(IWireOutput output, FormatCode[] formats, int maxRowBytes) : IRowSink
{
    public BackendWriter Rows => output.Backend;
    public FormatCode[] Formats => formats;
    public int MaxRowBytes => maxRowBytes;

    public void BeginBatch()
    {
    }

    public ValueTask EndBatchAsync(CursorStop stop) => stop == CursorStop.BufferFull ? output.FlushAsync() : ValueTask.CompletedTask;
}

/// <summary>
/// Rows encoded as DataRows into a scratch buffer, then re-framed as COPY text or CSV lines or, in binary, as COPY
/// tuples: a binary DataRow's body (field count, then length and bytes of each field) is a tuple as it is.
/// </summary>
internal sealed class CopyDataSink(IWireOutput output, CopyRowFormatter formatter, bool binary, int maxRowBytes, int batchBytes) : IRowSink
{
    private static readonly FormatCode[] TextFormat = [FormatCode.Text];
    private static readonly FormatCode[] BinaryFormat = [FormatCode.Binary];
    private readonly ArrayBufferWriter<byte> _scratch = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private BackendWriter? _rows;

    public BackendWriter Rows => _rows ??= new BackendWriter(_scratch);
    public FormatCode[] Formats => binary ? BinaryFormat : TextFormat;
    public int MaxRowBytes => maxRowBytes;

    public void BeginBatch()
    {
        _scratch.ResetWrittenCount();
        Rows.ResetPending();
    }

    public ValueTask EndBatchAsync(CursorStop stop)
    {
        var rows = _scratch.WrittenSpan;
        while (!rows.IsEmpty)
        {
            var length = 1 + BinaryPrimitives.ReadInt32BigEndian(rows[1..]);
            if (binary)
            {
                output.Backend.CopyData(rows[5..length]);
            }
            else
            {
                _line.ResetWrittenCount();
                formatter.WriteRow(rows[..length], _line);
                output.Backend.CopyData(_line.WrittenSpan);
            }
            rows = rows[length..];
        }
        return output.Backend.PendingBytes >= batchBytes ? output.FlushAsync() : ValueTask.CompletedTask;
    }
}

/// <summary>MOVE: rows are encoded into a scratch buffer and dropped (the stream is forward-only); nothing is sent, so
/// no row is too long.</summary>
internal sealed class DiscardSink : IRowSink
{
    private static readonly FormatCode[] TextFormat = [FormatCode.Text];
    private readonly ArrayBufferWriter<byte> _scratch = new(64 * 1024);
    private BackendWriter? _rows;

    public BackendWriter Rows => _rows ??= new BackendWriter(_scratch);
    public FormatCode[] Formats => TextFormat;
    public int MaxRowBytes => int.MaxValue;

    public void BeginBatch()
    {
        _scratch.ResetWrittenCount();
        Rows.ResetPending();
    }

    public ValueTask EndBatchAsync(CursorStop stop) => ValueTask.CompletedTask;
}
