using System.Buffers;
using System.Buffers.Binary;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DuckDB.NET.Native;

namespace DataMesh.Gateway.Engine.Types;

/// <summary>A LIST of a scalar type, sent as a one-dimensional PostgreSQL array of the element's type.</summary>
internal sealed unsafe class ListEncoder(ColumnEncoder element, int elementOid) : ColumnEncoder
{
    private DuckDBListEntry* _entries;

    protected override void BindData(IntPtr vector)
    {
        _entries = (DuckDBListEntry*)NativeMethods.Vectors.DuckDBVectorGetData(vector);
        element.Bind(NativeMethods.Vectors.DuckDBListVectorGetChild(vector));
    }

    public override bool TextMayNeedQuoting => true;

    public override void Configure(OutputStyle style) => element.Configure(style);

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written)
    {
        var entry = _entries[row];
        return format == FormatCode.Binary
            ? TryWriteBinary(entry, dest, out written)
            : TryWriteText(entry, dest, out written);
    }

    private bool TryWriteBinary(DuckDBListEntry entry, Span<byte> dest, out int written)
    {
        written = 0;
        var count = (int)entry.Length;
        var header = count == 0 ? 12 : 20;
        if (dest.Length < header) return false;
        var hasNull = false;
        for (var i = 0; i < count; i++) hasNull |= !element.IsValid(entry.Offset + (ulong)i);
        BinaryPrimitives.WriteInt32BigEndian(dest, count == 0 ? 0 : 1);
        BinaryPrimitives.WriteInt32BigEndian(dest[4..], hasNull ? 1 : 0);
        BinaryPrimitives.WriteInt32BigEndian(dest[8..], elementOid);
        if (count > 0)
        {
            BinaryPrimitives.WriteInt32BigEndian(dest[12..], count);
            BinaryPrimitives.WriteInt32BigEndian(dest[16..], 1);
        }
        var p = header;
        for (var i = 0; i < count; i++)
        {
            var childRow = entry.Offset + (ulong)i;
            if (dest.Length < p + 4) return false;
            if (!element.IsValid(childRow))
            {
                BinaryPrimitives.WriteInt32BigEndian(dest[p..], -1);
                p += 4;
                continue;
            }
            if (!element.TryWrite(childRow, dest[(p + 4)..], FormatCode.Binary, out var n)) return false;
            BinaryPrimitives.WriteInt32BigEndian(dest[p..], n);
            p += 4 + n;
        }
        written = p;
        return true;
    }

    private bool TryWriteText(DuckDBListEntry entry, Span<byte> dest, out int written)
    {
        written = 0;
        var count = (int)entry.Length;
        if (dest.Length < 2) return false;
        dest[0] = (byte)'{';
        var p = 1;
        var scratch = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    if (dest.Length <= p) return false;
                    dest[p++] = (byte)',';
                }
                var childRow = entry.Offset + (ulong)i;
                if (!element.IsValid(childRow))
                {
                    if (!Append("NULL"u8, dest, ref p)) return false;
                    continue;
                }
                int n;
                while (!element.TryWrite(childRow, scratch, FormatCode.Text, out n))
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(scratch.Length * 2);
                    ArrayPool<byte>.Shared.Return(scratch);
                    scratch = bigger;
                }
                if (!AppendElement(scratch.AsSpan(0, n), element.TextMayNeedQuoting, dest, ref p)) return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
        if (dest.Length <= p) return false;
        dest[p++] = (byte)'}';
        written = p;
        return true;
    }

    private static bool AppendElement(ReadOnlySpan<byte> text, bool mayNeedQuoting, Span<byte> dest, ref int p)
    {
        var quote = mayNeedQuoting && (text.IsEmpty || text.IndexOfAny("{},\"\\ \t\n"u8) >= 0 || IsNullWord(text));
        if (!quote) return Append(text, dest, ref p);
        if (dest.Length < p + 2 + text.Length * 2) return false;
        dest[p++] = (byte)'"';
        foreach (var b in text)
        {
            if (b is (byte)'"' or (byte)'\\') dest[p++] = (byte)'\\';
            dest[p++] = b;
        }
        dest[p++] = (byte)'"';
        return true;
    }

    private static bool IsNullWord(ReadOnlySpan<byte> text) =>
        text.Length == 4 && System.Text.Ascii.EqualsIgnoreCase(text, "NULL"u8);

    private static bool Append(ReadOnlySpan<byte> bytes, Span<byte> dest, ref int p)
    {
        if (dest.Length < p + bytes.Length) return false;
        bytes.CopyTo(dest[p..]);
        p += bytes.Length;
        return true;
    }
}
