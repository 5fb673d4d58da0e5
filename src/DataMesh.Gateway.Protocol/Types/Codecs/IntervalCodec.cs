using System.Buffers.Binary;
using System.Globalization;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Protocol.Types.Codecs;

/// <summary>An interval as PostgreSQL and DuckDB both store it: months, days and microseconds kept apart.</summary>
public readonly record struct PgInterval(int Months, int Days, long Micros);

/// <summary>interval (1186): binary is micros (int64), days (int32), months (int32); text as IntervalStyle says (<see cref="IntervalText"/>).</summary>
public static class IntervalCodec
{
    public static bool TryWriteBinary(PgInterval value, Span<byte> dest, out int written)
    {
        written = 16;
        if (dest.Length < 16) return false;
        BinaryPrimitives.WriteInt64BigEndian(dest, value.Micros);
        BinaryPrimitives.WriteInt32BigEndian(dest[8..], value.Days);
        BinaryPrimitives.WriteInt32BigEndian(dest[12..], value.Months);
        return true;
    }

    public static bool TryWriteText(PgInterval value, Span<byte> dest, out int written) =>
        TextCodec.TryWriteString(FormatText(value), dest, out written);

    public static bool TryWriteText(PgInterval value, IntervalStyle style, Span<byte> dest, out int written) =>
        TextCodec.TryWriteString(IntervalText.Format(value, style), dest, out written);

    /// <summary>The text form in IntervalStyle postgres (the default).</summary>
    public static string FormatText(PgInterval v) => IntervalText.Format(v, IntervalStyle.Postgres);

    public static PgInterval ReadBinary(ReadOnlySpan<byte> data)
    {
        if (data.Length != 16) throw CodecErrors.BinaryLength("interval", data.Length);
        return new PgInterval(
            BinaryPrimitives.ReadInt32BigEndian(data[12..]),
            BinaryPrimitives.ReadInt32BigEndian(data[8..]),
            BinaryPrimitives.ReadInt64BigEndian(data));
    }

    /// <summary>Parses interval input by PostgreSQL's rules (<see cref="Input.IntervalInput"/>).</summary>
    public static PgInterval ParseText(string text) => Input.IntervalInput.Parse(text);
}
