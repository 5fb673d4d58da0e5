using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types.Codecs;

namespace DataMesh.Gateway.Engine.Types;

/// <summary>
/// PostgreSQL's one-byte <c>"char"</c> (18), stored as VARCHAR in the emulation: binary is exactly one byte (0 for the
/// empty value, as charsend sends it; Npgsql and pgjdbc read one byte whatever the value), text is the character
/// itself, empty for the zero byte, as charout writes it.
/// </summary>
internal sealed unsafe class CharEncoder : ColumnEncoder
{
    private byte* _data;
    protected override void BindData(IntPtr vector) => _data = (byte*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override bool TextMayNeedQuoting => true; // the empty value is "" in an array

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written)
    {
        var bytes = StringEncoder.StringAt(_data + row * 16);
        if (format == FormatCode.Text) return TextCodec.TryWriteUtf8(bytes.Length > 1 ? bytes[..1] : bytes, dest, out written);
        written = 1;
        if (dest.IsEmpty) return false;
        dest[0] = bytes.IsEmpty ? (byte)0 : bytes[0];
        return true;
    }
}
