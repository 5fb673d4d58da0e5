using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;

namespace DataMesh.Gateway.Engine.Types;

/// <summary>
/// Encodes one result column straight from a DuckDB vector into DataRow fields, text or binary.
/// One instance per column per query; <see cref="Bind"/> is called once per chunk, then one call per cell,
/// so the per-cell path reads raw vector memory with no boxing and no allocation.
/// </summary>
internal abstract unsafe class ColumnEncoder
{
    private ulong* _validity;

    /// <summary>Points the encoder at the vector of the current chunk.</summary>
    public void Bind(IntPtr vector)
    {
        _validity = DuckDB.NET.Native.NativeMethods.Vectors.DuckDBVectorGetValidity(vector);
        BindData(vector);
    }

    protected abstract void BindData(IntPtr vector);

    public bool IsValid(ulong row) => _validity == null || (_validity[row >> 6] & (1UL << (int)(row & 63))) != 0;

    /// <summary>Writes a non-null value; returns false when <paramref name="dest"/> is too small.</summary>
    public abstract bool TryWrite(ulong row, Span<byte> dest, FormatCode format, out int written);

    public void Write(ulong row, ref DataRowBuilder builder, FormatCode format)
    {
        if (!IsValid(row))
        {
            builder.WriteNull();
            return;
        }
        if (TryWrite(row, builder.Free, format, out var written)) builder.Commit(written);
        else builder.MarkOverflow();
    }

    /// <summary>Applies the session's text output settings (IntervalStyle, extra_float_digits, bytea_output).</summary>
    public virtual void Configure(OutputStyle style)
    {
    }

    /// <summary>Whether the text form of a value of this column can need quoting inside an array literal.</summary>
    public virtual bool TextMayNeedQuoting => false;
}
