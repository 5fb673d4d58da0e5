using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Embedded;

/// <summary>
/// Reads the backend messages a statement wrote into an in-process pipe and hands them to a sink: RowDescription,
/// DataRow (text format), CommandComplete, NoticeResponse, and the ErrorResponse that ended it. The same bytes a
/// wire client reads, so the portal sees exactly what psql would.
/// </summary>
internal static class BackendMessageReader
{
    public static async Task<PgErrorException?> ReadAsync(PipeReader input, IStatementSink sink, Action onUnwanted, CancellationToken ct)
    {
        var dispatcher = new Dispatcher(sink, onUnwanted);
        while (true)
        {
            var result = await input.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            dispatcher.Consume(ref buffer);
            input.AdvanceTo(buffer.Start, buffer.End);
            if (!dispatcher.Unwanted) await sink.FlushAsync(ct).ConfigureAwait(false);
            if (result.IsCompleted) break;
        }
        await input.CompleteAsync().ConfigureAwait(false);
        return dispatcher.Error;
    }

    /// <summary>Hands every complete message of a buffer to the sink; what remains is an incomplete message.</summary>
    internal sealed class Dispatcher(IStatementSink sink, Action onUnwanted)
    {
        private readonly DataRow _row = new();

        public PgErrorException? Error { get; private set; }

        /// <summary>Set once the sink wanted no more: later messages are only drained, so the statement can end and be audited.</summary>
        public bool Unwanted { get; private set; }

        public void Consume(ref ReadOnlySequence<byte> buffer)
        {
            while (TryCut(ref buffer, out var type, out var payload))
            {
                if (Unwanted) continue;
                var span = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
                switch (type)
                {
                    case (byte)'T':
                        sink.Columns(Fields(span));
                        break;
                    case (byte)'D':
                        _row.Load(span);
                        sink.Row(_row);
                        break;
                    case (byte)'C':
                        sink.Completed(CString(span, out _));
                        break;
                    case (byte)'E':
                        Error = Decode(span);
                        break;
                    case (byte)'N':
                        var notice = Decode(span);
                        sink.Notice(notice.Severity.ToString().ToUpperInvariant(), notice.SqlState, notice.Message);
                        break;
                }
                if (!sink.WantsMore)
                {
                    Unwanted = true;
                    onUnwanted();
                }
            }
        }
    }

    private static bool TryCut(ref ReadOnlySequence<byte> buffer, out byte type, out ReadOnlySequence<byte> payload)
    {
        type = 0;
        payload = default;
        if (buffer.Length < 5) return false;
        Span<byte> header = stackalloc byte[5];
        buffer.Slice(0, 5).CopyTo(header);
        var length = BinaryPrimitives.ReadInt32BigEndian(header[1..]);
        if (buffer.Length < 1 + length) return false;
        type = header[0];
        payload = buffer.Slice(5, length - 4);
        buffer = buffer.Slice(1 + length);
        return true;
    }

    private static List<ResultField> Fields(ReadOnlySpan<byte> span)
    {
        var count = BinaryPrimitives.ReadInt16BigEndian(span);
        var fields = new List<ResultField>(count);
        var at = 2;
        for (var i = 0; i < count; i++)
        {
            var name = CString(span[at..], out var used);
            at += used;
            var typeOid = BinaryPrimitives.ReadInt32BigEndian(span[(at + 6)..]);
            var typeModifier = BinaryPrimitives.ReadInt32BigEndian(span[(at + 12)..]);
            at += 18; // table OID, column number, type OID, type length, type modifier, format
            fields.Add(new ResultField(name, typeOid, typeModifier));
        }
        return fields;
    }

    private static PgErrorException Decode(ReadOnlySpan<byte> span)
    {
        string severity = "ERROR", state = SqlState.InternalError, message = "";
        string? detail = null, hint = null;
        var position = 0;
        while (span.Length > 0 && span[0] != 0)
        {
            var code = (char)span[0];
            var value = CString(span[1..], out var used);
            span = span[(1 + used)..];
            switch (code)
            {
                case 'V': severity = value; break;
                case 'C': state = value; break;
                case 'M': message = value; break;
                case 'D': detail = value; break;
                case 'H': hint = value; break;
                case 'P': position = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }
        var level = severity switch
        {
            "FATAL" => PgErrorSeverity.Fatal,
            "WARNING" => PgErrorSeverity.Warning,
            "NOTICE" => PgErrorSeverity.Notice,
            _ => PgErrorSeverity.Error,
        };
        return new PgErrorException(state, message, level, detail, hint, position);
    }

    private static string CString(ReadOnlySpan<byte> span, out int used)
    {
        var end = span.IndexOf((byte)0);
        used = end + 1;
        return Encoding.UTF8.GetString(span[..end]);
    }
}
