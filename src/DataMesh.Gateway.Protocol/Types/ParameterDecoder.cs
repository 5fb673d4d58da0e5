using System.Buffers.Binary;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types.Codecs;
using DataMesh.Gateway.Protocol.Types.Input;

namespace DataMesh.Gateway.Protocol.Types;

/// <summary>
/// Decodes Bind parameter values, text or binary, by their declared type OID.
/// OID 0 (or unknown) in text format stays a string, so the engine infers its type from context.
/// </summary>
public static class ParameterDecoder
{
    public static object? Decode(int oid, FormatCode format, byte[]? data, ParameterInput? input = null)
    {
        if (data is null) return null;
        return format == FormatCode.Binary ? DecodeBinary(oid, data) : DecodeText(oid, TextCodec.Read(data), input ?? ParameterInput.Default);
    }

    /// <summary>Text input by PostgreSQL's input functions for the type (boolin, numeric_in, date_in, timestamp_in, interval_in …).</summary>
    public static object DecodeText(int oid, string text, ParameterInput? input = null)
    {
        input ??= ParameterInput.Default;
        switch (oid)
        {
            case PgTypes.Bool: return BoolInput.Parse(text);
            case PgTypes.Int2: return (short)IntegerCodecs.ParseText(text, "smallint", short.MinValue, short.MaxValue);
            case PgTypes.Int4: return (int)IntegerCodecs.ParseText(text, "integer", int.MinValue, int.MaxValue);
            case PgTypes.Int8: return IntegerCodecs.ParseText(text, "bigint", long.MinValue, long.MaxValue);
            case PgTypes.Oid: return IntegerCodecs.ParseText(text, "oid", 0, uint.MaxValue);
            case PgTypes.Float4: return (float)FloatCodecs.ParseText(text, "real");
            case PgTypes.Float8: return FloatCodecs.ParseText(text, "double precision");
            case PgTypes.Numeric: return new PgNumeric(NumericInput.Parse(text));
            case PgTypes.Bytea: return ByteaCodec.ParseText(text);
            case PgTypes.Date: return new PgDate(DateTimeInput.ParseDate(text, input.DateOrder, input.Clock));
            case PgTypes.Time: return new PgTime(DateTimeInput.ParseTime(text));
            case PgTypes.Timestamp: return new PgTimestamp(DateTimeInput.ParseTimestamp(text, false, input.DateOrder, input.Clock), false);
            case PgTypes.TimestampTz: return new PgTimestamp(DateTimeInput.ParseTimestamp(text, true, input.DateOrder, input.Clock), true);
            case PgTypes.Interval: return IntervalInput.Parse(text, input.SqlStandardIntervals);
            case PgTypes.Uuid: return UuidCodec.ParseText(text);
        }
        var element = PgTypes.ElementOf(oid);
        if (element != 0) return new PgArray(element, ArrayTextParser.Parse(text).Select(s => s is null ? null : DecodeText(element, s, input)).ToArray());
        return text; // text, varchar, bpchar, name, json, jsonb, unknown and anything unspecified
    }

    public static object DecodeBinary(int oid, ReadOnlySpan<byte> data)
    {
        switch (oid)
        {
            case PgTypes.Bool: return BoolCodec.ReadBinary(data);
            case PgTypes.Int2: return (short)IntegerCodecs.ReadBinary(data, "smallint");
            case PgTypes.Int4: return (int)IntegerCodecs.ReadBinary(data, "integer");
            case PgTypes.Int8: return IntegerCodecs.ReadBinary(data, "bigint");
            case PgTypes.Oid: return (long)(uint)IntegerCodecs.ReadBinary(data, "oid");
            case PgTypes.Float4: return (float)FloatCodecs.ReadBinary(data, "real");
            case PgTypes.Float8: return FloatCodecs.ReadBinary(data, "double precision");
            case PgTypes.Numeric: return new PgNumeric(NumericCodec.ReadBinaryAsText(data));
            case PgTypes.Bytea: return data.ToArray();
            case PgTypes.Date: return new PgDate(DateTimeCodecs.ReadDateBinary(data));
            case PgTypes.Time: return new PgTime(DateTimeCodecs.ReadTimeBinary(data));
            case PgTypes.Timestamp: return new PgTimestamp(DateTimeCodecs.ReadTimestampBinary(data), false);
            case PgTypes.TimestampTz: return new PgTimestamp(DateTimeCodecs.ReadTimestampBinary(data), true);
            case PgTypes.Interval: return IntervalCodec.ReadBinary(data);
            case PgTypes.Uuid: return UuidCodec.ReadBinary(data);
            case PgTypes.Jsonb: return TextCodec.ReadJsonbBinary(data);
            case PgTypes.Text or PgTypes.Varchar or PgTypes.BpChar or PgTypes.Name or PgTypes.Json or PgTypes.Unknown or PgTypes.Unspecified:
                return TextCodec.Read(data);
        }
        if (PgTypes.ElementOf(oid) != 0) return DecodeBinaryArray(data);
        throw new PgErrorException(SqlState.FeatureNotSupported, $"binary format for parameters of type OID {oid} is not supported");
    }

    private static PgArray DecodeBinaryArray(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12) throw new PgErrorException(SqlState.InvalidBinaryRepresentation, "invalid array header");
        var ndim = BinaryPrimitives.ReadInt32BigEndian(data);
        var elementOid = BinaryPrimitives.ReadInt32BigEndian(data[8..]);
        if (ndim == 0) return new PgArray(elementOid, []);
        if (ndim != 1) throw new PgErrorException(SqlState.FeatureNotSupported, "only one-dimensional arrays are supported");
        if (data.Length < 20) throw new PgErrorException(SqlState.InvalidBinaryRepresentation, "invalid array header");
        var count = BinaryPrimitives.ReadInt32BigEndian(data[12..]);
        if (count < 0 || count > data.Length / 4) throw new PgErrorException(SqlState.InvalidBinaryRepresentation, "invalid array length");
        var items = new object?[count];
        var p = 20;
        for (var i = 0; i < count; i++)
        {
            if (p + 4 > data.Length) throw new PgErrorException(SqlState.InvalidBinaryRepresentation, "array data is truncated");
            var len = BinaryPrimitives.ReadInt32BigEndian(data[p..]);
            p += 4;
            if (len == -1) continue;
            if (len < 0 || len > data.Length - p) throw new PgErrorException(SqlState.InvalidBinaryRepresentation, "array data is truncated");
            items[i] = DecodeBinary(elementOid, data.Slice(p, len));
            p += len;
        }
        return new PgArray(elementOid, items);
    }
}
