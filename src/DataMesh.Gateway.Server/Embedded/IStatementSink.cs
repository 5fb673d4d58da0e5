using System.Text;

namespace DataMesh.Gateway.Server.Embedded;

/// <summary>A result column as the wire describes it: its name, PostgreSQL type OID and type modifier.</summary>
public sealed record ResultField(string Name, int TypeOid, int TypeModifier);

/// <summary>
/// Receives what one statement text produced, in order: for each statement with rows its columns, then its rows,
/// then its command tag. Calls are synchronous and come from one task; <see cref="FlushAsync"/> is awaited between
/// batches, so a slow sink (a browser downloading a file) holds the engine back as a slow wire client does.
/// </summary>
public interface IStatementSink
{
    void Columns(IReadOnlyList<ResultField> fields);

    /// <summary>One row in PostgreSQL's text format; <paramref name="row"/> is reused and valid only during the call.</summary>
    void Row(DataRow row);

    void Completed(string commandTag);

    /// <summary>A NOTICE or WARNING the statement raised.</summary>
    void Notice(string severity, string sqlState, string message) { }

    ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>False once the sink wants nothing more (it has all it shows, or its reader went away): the running
    /// statement is cancelled (57014, audited with <see cref="StopReason"/>) and the rest of the text does not run.</summary>
    bool WantsMore => true;

    /// <summary>Why the sink stopped reading, as the cancelled statement's message (and audit record) says.</summary>
    string StopReason => "canceling statement because the portal stopped reading its result";
}

/// <summary>
/// One DataRow's values as text (the wire's text format, what psql prints), over a buffer reused for every row: no
/// allocation per row unless a caller asks for strings.
/// </summary>
public sealed class DataRow
{
    private byte[] _payload = new byte[256];
    private int[] _offsets = new int[16];
    private int[] _lengths = new int[16];

    public int Count { get; private set; }

    public bool IsNull(int column) => _lengths[column] < 0;

    /// <summary>The value's UTF-8 bytes (empty for NULL: check <see cref="IsNull"/>).</summary>
    public ReadOnlySpan<byte> Utf8(int column) => _lengths[column] < 0 ? default : _payload.AsSpan(_offsets[column], _lengths[column]);

    public string? GetString(int column) => IsNull(column) ? null : Encoding.UTF8.GetString(Utf8(column));

    /// <summary>Takes a DataRow message's payload: int16 count, then per value an int32 length (-1: NULL) and the bytes.</summary>
    internal void Load(ReadOnlySpan<byte> payload)
    {
        if (_payload.Length < payload.Length) _payload = new byte[Math.Max(payload.Length, _payload.Length * 2)];
        payload.CopyTo(_payload);
        var count = System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(payload);
        if (_offsets.Length < count)
        {
            _offsets = new int[count];
            _lengths = new int[count];
        }
        var at = 2;
        for (var i = 0; i < count; i++)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(payload[at..]);
            at += 4;
            _offsets[i] = at;
            _lengths[i] = length;
            if (length > 0) at += length;
        }
        Count = count;
    }
}
