using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Frontend;

namespace DataMesh.Gateway.Protocol.Messages.Backend;

/// <summary>
/// Writes backend messages into an output buffer (normally a PipeWriter). It never flushes: the connection
/// decides when (at Sync, Flush, or when <see cref="PendingBytes"/> passes its batch size), so many small
/// messages leave in one socket write.
/// </summary>
public sealed class BackendWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly ArrayBufferWriter<byte> _scratch = new(256);

    public BackendWriter(IBufferWriter<byte> output) => _output = output;

    /// <summary>Bytes written since the last <see cref="ResetPending"/>; the caller flushes when this grows large.</summary>
    public long PendingBytes { get; private set; }

    public IBufferWriter<byte> Output => _output;

    public void ResetPending() => PendingBytes = 0;

    /// <summary>Accounts bytes that an encoder wrote straight into <see cref="Output"/>.</summary>
    public void AddPending(int bytes) => PendingBytes += bytes;

    public void AuthenticationOk() => Auth(0);
    public void AuthenticationCleartextPassword() => Auth(3);

    public void AuthenticationSasl(IEnumerable<string> mechanisms)
    {
        var w = Begin();
        PutInt32(w, 10);
        foreach (var m in mechanisms) PutCString(w, m);
        PutByte(w, 0);
        End((byte)'R');
    }

    public void AuthenticationSaslContinue(ReadOnlySpan<byte> data) => AuthWithData(11, data);
    public void AuthenticationSaslFinal(ReadOnlySpan<byte> data) => AuthWithData(12, data);

    public void ParameterStatus(string name, string value)
    {
        var w = Begin();
        PutCString(w, name);
        PutCString(w, value);
        End((byte)'S');
    }

    /// <summary>NotificationResponse ('A'): an asynchronous notification on a channel the session LISTENs to.</summary>
    public void NotificationResponse(int processId, string channel, string payload)
    {
        var w = Begin();
        PutInt32(w, processId);
        PutCString(w, channel);
        PutCString(w, payload);
        End((byte)'A');
    }

    public void BackendKeyData(int processId, int secretKey)
    {
        var w = Begin();
        PutInt32(w, processId);
        PutInt32(w, secretKey);
        End((byte)'K');
    }

    public void NegotiateProtocolVersion(int newestMinor, IReadOnlyList<string> unrecognisedOptions)
    {
        var w = Begin();
        PutInt32(w, newestMinor);
        PutInt32(w, unrecognisedOptions.Count);
        foreach (var o in unrecognisedOptions) PutCString(w, o);
        End((byte)'v');
    }

    public void ReadyForQuery(TransactionStatus status)
    {
        var span = _output.GetSpan(6);
        span[0] = (byte)'Z';
        BinaryPrimitives.WriteInt32BigEndian(span[1..], 5);
        span[5] = (byte)status;
        Advance(6);
    }

    public void RowDescription(IReadOnlyList<FieldDescription> fields)
    {
        var w = Begin();
        PutInt16(w, (short)fields.Count);
        foreach (var f in fields)
        {
            PutCString(w, f.Name);
            PutInt32(w, f.TableOid);
            PutInt16(w, f.ColumnAttribute);
            PutInt32(w, f.TypeOid);
            PutInt16(w, f.TypeLength);
            PutInt32(w, f.TypeModifier);
            PutInt16(w, (short)f.Format);
        }
        End((byte)'T');
    }

    public void ParameterDescription(IReadOnlyList<int> typeOids)
    {
        // The count is 16 bits on the wire: a longer list would be described with a wrapped count (Parse refuses such statements).
        if (typeOids.Count > ushort.MaxValue) throw new ArgumentOutOfRangeException(nameof(typeOids), "more than 65,535 parameters");
        var w = Begin();
        PutInt16(w, (short)typeOids.Count);
        foreach (var oid in typeOids) PutInt32(w, oid);
        End((byte)'t');
    }

    public void CommandComplete(string tag)
    {
        var w = Begin();
        PutCString(w, tag);
        End((byte)'C');
    }

    public void EmptyQueryResponse() => Empty((byte)'I');
    public void ParseComplete() => Empty((byte)'1');
    public void BindComplete() => Empty((byte)'2');
    public void CloseComplete() => Empty((byte)'3');
    public void NoData() => Empty((byte)'n');
    public void PortalSuspended() => Empty((byte)'s');
    public void CopyDone() => Empty((byte)'c');

    public void CopyOutResponse(FormatCode format, int columnCount)
    {
        var w = Begin();
        PutByte(w, (byte)format);
        PutInt16(w, (short)columnCount);
        for (var i = 0; i < columnCount; i++) PutInt16(w, (short)format);
        End((byte)'H');
    }

    public void CopyData(ReadOnlySpan<byte> data)
    {
        var span = _output.GetSpan(5 + data.Length);
        span[0] = (byte)'d';
        BinaryPrimitives.WriteInt32BigEndian(span[1..], 4 + data.Length);
        data.CopyTo(span[5..]);
        Advance(5 + data.Length);
    }

    public void Error(PgErrorException error) =>
        ErrorOrNotice((byte)'E', SeverityText(error.Severity), error.SqlState, error.Message, error.Detail, error.Hint, error.Position);

    public void Notice(PgErrorSeverity severity, string sqlState, string message, string? detail = null, string? hint = null) =>
        ErrorOrNotice((byte)'N', SeverityText(severity), sqlState, message, detail, hint, 0);

    private void ErrorOrNotice(byte type, string severity, string sqlState, string message, string? detail, string? hint, int position)
    {
        var w = Begin();
        PutField(w, 'S', severity);
        PutField(w, 'V', severity);
        PutField(w, 'C', sqlState);
        PutField(w, 'M', message);
        if (detail is not null) PutField(w, 'D', detail);
        if (hint is not null) PutField(w, 'H', hint);
        if (position > 0) PutField(w, 'P', position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        PutByte(w, 0);
        End(type);
    }

    private static string SeverityText(PgErrorSeverity severity) => severity switch
    {
        PgErrorSeverity.Fatal => "FATAL",
        PgErrorSeverity.Warning => "WARNING",
        PgErrorSeverity.Notice => "NOTICE",
        _ => "ERROR",
    };

    private void Auth(int code)
    {
        var w = Begin();
        PutInt32(w, code);
        End((byte)'R');
    }

    private void AuthWithData(int code, ReadOnlySpan<byte> data)
    {
        var w = Begin();
        PutInt32(w, code);
        w.Write(data);
        End((byte)'R');
    }

    private void Empty(byte type)
    {
        var span = _output.GetSpan(5);
        span[0] = type;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], 4);
        Advance(5);
    }

    private ArrayBufferWriter<byte> Begin()
    {
        _scratch.ResetWrittenCount();
        return _scratch;
    }

    private void End(byte type)
    {
        var payload = _scratch.WrittenSpan;
        var total = 5 + payload.Length;
        var span = _output.GetSpan(total);
        span[0] = type;
        BinaryPrimitives.WriteInt32BigEndian(span[1..], 4 + payload.Length);
        payload.CopyTo(span[5..]);
        Advance(total);
    }

    private void Advance(int count)
    {
        _output.Advance(count);
        PendingBytes += count;
    }

    private static void PutByte(ArrayBufferWriter<byte> w, byte value)
    {
        w.GetSpan(1)[0] = value;
        w.Advance(1);
    }

    private static void PutInt16(ArrayBufferWriter<byte> w, short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(w.GetSpan(2), value);
        w.Advance(2);
    }

    private static void PutInt32(ArrayBufferWriter<byte> w, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(w.GetSpan(4), value);
        w.Advance(4);
    }

    private static void PutCString(ArrayBufferWriter<byte> w, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length) + 1;
        var span = w.GetSpan(max);
        var n = Encoding.UTF8.GetBytes(value, span);
        // A NUL inside a string would end the field early on the client: replace it rather than corrupt framing.
        span[..n].Replace((byte)0, (byte)' ');
        span[n] = 0;
        w.Advance(n + 1);
    }

    private static void PutField(ArrayBufferWriter<byte> w, char code, string value)
    {
        PutByte(w, (byte)code);
        PutCString(w, value);
    }
}
