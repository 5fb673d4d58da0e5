using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types.Codecs;

namespace DataMesh.Gateway.Engine.Types;

/// <summary>
/// regproc (24): binary is the function's OID, text its name, as PostgreSQL's regprocout writes it (<c>-</c> for 0). The
/// names are the emulation's pg_proc rows (PostgreSQL's I/O functions); ActiveRecord tells array types by
/// <c>typinput = 'array_in'</c> read as text. An OID the emulation has no function for is written as the number.
/// </summary>
internal sealed unsafe class RegprocEncoder : ColumnEncoder
{
    private uint* _data;
    protected override void BindData(IntPtr vector) => _data = (uint*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written)
    {
        var oid = _data[row];
        if (format == FormatCode.Binary) return IntegerCodecs.TryWriteInt4(unchecked((int)oid), dest, out written);
        if (oid == 0) return TextCodec.TryWriteString("-", dest, out written);
        return CatalogData.PgCatalogData.ProcNames.TryGetValue(oid, out var name)
            ? TextCodec.TryWriteString(name, dest, out written)
            : IntegerCodecs.TryWriteText(oid, dest, out written);
    }
}
