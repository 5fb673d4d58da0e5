using System.Numerics;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types.Codecs;

namespace DataMesh.Gateway.Engine.Types;

// One encoder per engine storage layout. Each maps to one PostgreSQL type OID (see TypeMapper).

internal sealed unsafe class BoolEncoder : ColumnEncoder
{
    private byte* _data;
    protected override void BindData(IntPtr vector) => _data = (byte*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written) => format == FormatCode.Binary
        ? BoolCodec.TryWriteBinary(_data[row] != 0, dest, out written)
        : BoolCodec.TryWriteText(_data[row] != 0, dest, out written);
}

/// <summary>Any engine integer of up to 64 bits, sent as int2, int4 or int8 (chosen by <paramref name="pgWidth"/>).</summary>
internal sealed unsafe class IntegerEncoder<T>(int pgWidth) : ColumnEncoder where T : unmanaged, IBinaryInteger<T>
{
    private T* _data;
    protected override void BindData(IntPtr vector) => _data = (T*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written)
    {
        var value = long.CreateTruncating(_data[row]);
        if (format == FormatCode.Text) return IntegerCodecs.TryWriteText(value, dest, out written);
        return pgWidth switch
        {
            2 => IntegerCodecs.TryWriteInt2((short)value, dest, out written),
            4 => IntegerCodecs.TryWriteInt4((int)value, dest, out written),
            _ => IntegerCodecs.TryWriteInt8(value, dest, out written),
        };
    }
}

internal sealed unsafe class FloatEncoder : ColumnEncoder
{
    private float* _data;
    private int _extraDigits = 1;
    protected override void BindData(IntPtr vector) => _data = (float*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override void Configure(OutputStyle style) => _extraDigits = style.ExtraFloatDigits;

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written) => format == FormatCode.Binary
        ? FloatCodecs.TryWriteFloat4(_data[row], dest, out written)
        : _extraDigits > 0 ? FloatCodecs.TryWriteText(_data[row], dest, out written)
        : FloatCodecs.TryWriteText(_data[row], _extraDigits, isFloat4: true, dest, out written);
}

internal sealed unsafe class DoubleEncoder : ColumnEncoder
{
    private double* _data;
    private int _extraDigits = 1;
    protected override void BindData(IntPtr vector) => _data = (double*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override void Configure(OutputStyle style) => _extraDigits = style.ExtraFloatDigits;

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written) => format == FormatCode.Binary
        ? FloatCodecs.TryWriteFloat8(_data[row], dest, out written)
        : _extraDigits > 0 ? FloatCodecs.TryWriteText(_data[row], dest, out written)
        : FloatCodecs.TryWriteText(_data[row], _extraDigits, isFloat4: false, dest, out written);
}

/// <summary>DECIMAL stored as a scaled integer of width T, and (scale 0) HUGEINT/UBIGINT/UHUGEINT: all sent as numeric.</summary>
internal sealed unsafe class NumericEncoder<T>(int scale) : ColumnEncoder where T : unmanaged, IBinaryInteger<T>
{
    private T* _data;
    protected override void BindData(IntPtr vector) => _data = (T*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written)
    {
        var value = Int128.CreateTruncating(_data[row]);
        return format == FormatCode.Binary
            ? NumericCodec.TryWriteBinary(value, scale, dest, out written)
            : NumericCodec.TryWriteText(value, scale, dest, out written);
    }
}

/// <summary>VARCHAR (text/json) and BLOB (bytea), both stored as duckdb_string_t.</summary>
internal sealed unsafe class StringEncoder(bool isBlob) : ColumnEncoder
{
    private byte* _data;
    private bool _escape;
    protected override void BindData(IntPtr vector) => _data = (byte*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override void Configure(OutputStyle style) => _escape = style.ByteaEscape;

    // Escape-format bytea can hold a backslash, which an array literal must quote.
    public override bool TextMayNeedQuoting => !isBlob || _escape;

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written)
    {
        var bytes = StringAt(_data + row * 16);
        if (isBlob && format == FormatCode.Text)
            return _escape ? ByteaCodec.TryWriteEscapeText(bytes, dest, out written) : ByteaCodec.TryWriteText(bytes, dest, out written);
        return TextCodec.TryWriteUtf8(bytes, dest, out written);
    }

    /// <summary>duckdb_string_t: 4-byte length, then 12 inlined bytes, or a 4-byte prefix and a pointer.</summary>
    internal static ReadOnlySpan<byte> StringAt(byte* entry)
    {
        var length = *(uint*)entry;
        return length <= 12
            ? new ReadOnlySpan<byte>(entry + 4, (int)length)
            : new ReadOnlySpan<byte>(*(byte**)(entry + 8), (int)length);
    }
}

internal sealed unsafe class DateEncoder : ColumnEncoder
{
    private int* _data;
    protected override void BindData(IntPtr vector) => _data = (int*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written) => format == FormatCode.Binary
        ? DateTimeCodecs.TryWriteDateBinary(_data[row], dest, out written)
        : DateTimeCodecs.TryWriteDateText(_data[row], dest, out written);
}

internal sealed unsafe class TimeEncoder : ColumnEncoder
{
    private long* _data;
    protected override void BindData(IntPtr vector) => _data = (long*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written) => format == FormatCode.Binary
        ? DateTimeCodecs.TryWriteTimeBinary(_data[row], dest, out written)
        : DateTimeCodecs.TryWriteTimeText(_data[row], dest, out written);
}

/// <summary>TIMESTAMP in seconds, ms, µs or ns (scaled to µs), with or without time zone.</summary>
internal sealed unsafe class TimestampEncoder(long multiplier, long divisor, bool withZone) : ColumnEncoder
{
    private long* _data;
    protected override void BindData(IntPtr vector) => _data = (long*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override bool TextMayNeedQuoting => true;

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written)
    {
        var raw = _data[row];
        // Infinity keeps its sentinel; finite values are scaled to microseconds.
        var micros = raw is long.MaxValue or <= -long.MaxValue ? raw : raw * multiplier / divisor;
        return format == FormatCode.Binary
            ? DateTimeCodecs.TryWriteTimestampBinary(micros, dest, out written)
            : DateTimeCodecs.TryWriteTimestampText(micros, withZone, dest, out written);
    }
}

internal sealed unsafe class IntervalEncoder : ColumnEncoder
{
    private byte* _data;
    private IntervalStyle _style = IntervalStyle.Postgres;
    protected override void BindData(IntPtr vector) => _data = (byte*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override void Configure(OutputStyle style) => _style = style.Interval;

    public override bool TextMayNeedQuoting => true;

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written)
    {
        var p = _data + row * 16;
        var value = new PgInterval(*(int*)p, *(int*)(p + 4), *(long*)(p + 8));
        return format == FormatCode.Binary
            ? IntervalCodec.TryWriteBinary(value, dest, out written)
            : IntervalCodec.TryWriteText(value, _style, dest, out written);
    }
}

/// <summary>UUID is stored as a HUGEINT with the top bit flipped (so it sorts as unsigned).</summary>
internal sealed unsafe class UuidEncoder : ColumnEncoder
{
    private ulong* _data;
    protected override void BindData(IntPtr vector) => _data = (ulong*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written)
    {
        var lower = _data[row * 2];
        var upper = _data[row * 2 + 1] ^ 0x8000_0000_0000_0000UL;
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, upper);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], lower);
        var guid = new Guid(bytes, bigEndian: true);
        return format == FormatCode.Binary
            ? UuidCodec.TryWriteBinary(guid, dest, out written)
            : UuidCodec.TryWriteText(guid, dest, out written);
    }
}

/// <summary>ENUM: a dictionary index of width T, sent as the label text.</summary>
internal sealed unsafe class EnumEncoder<T>(byte[][] labels) : ColumnEncoder where T : unmanaged, IBinaryInteger<T>
{
    private T* _data;
    protected override void BindData(IntPtr vector) => _data = (T*)DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetData(vector);

    public override bool TextMayNeedQuoting => true;

    public override bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written) =>
        TextCodec.TryWriteUtf8(labels[int.CreateTruncating(_data[row])], dest, out written);
}
