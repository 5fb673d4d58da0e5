using DataMesh.Gateway.Engine.Interop;
using DataMesh.Gateway.Protocol.Types;
using DuckDB.NET.Native;
using static DuckDB.NET.Native.NativeMethods.LogicalType;

namespace DataMesh.Gateway.Engine.Types;

/// <summary>
/// Maps DuckDB logical types to PostgreSQL types. Types with no PostgreSQL equivalent (STRUCT, MAP, UNION,
/// BIT, TIMETZ, BIGNUM, fixed ARRAY, lists of those) return null: the engine casts them to VARCHAR and they
/// travel as text. The choices are documented in docs/ARCHITECTURE.md (type mapping).
/// </summary>
internal static class TypeMapper
{
    // The demo and pg_catalog emulation declare these aliases so catalog columns carry PostgreSQL's own types.
    public const string OidAlias = "pg_oid";
    public const string NameAlias = "pg_name";
    public const string CharAlias = "pg_char";

    public static PgColumnType? Map(DuckDBLogicalType type)
    {
        var id = DuckDBGetTypeId(type);
        var alias = NativeExtras.TakeString(NativeExtras.LogicalTypeAlias(type));
        if (alias is not null)
        {
            switch (alias.ToLowerInvariant())
            {
                case "json": return new(PgTypes.Json, -1, -1, () => new StringEncoder(false));
                case OidAlias when id == DuckDBType.UnsignedInteger: return new(PgTypes.Oid, 4, -1, () => new IntegerEncoder<uint>(4));
                case NameAlias when id == DuckDBType.Varchar: return new(PgTypes.Name, 64, -1, () => new StringEncoder(false));
                case CharAlias when id == DuckDBType.Varchar: return new(PgTypes.Char, 1, -1, () => new CharEncoder());
                case "regclass" when id == DuckDBType.UnsignedInteger: return new(PgTypes.Regclass, 4, -1, () => new IntegerEncoder<uint>(4));
                case "regtype" when id == DuckDBType.UnsignedInteger: return new(PgTypes.Regtype, 4, -1, () => new IntegerEncoder<uint>(4));
                case "regproc" when id == DuckDBType.UnsignedInteger: return new(PgTypes.Regproc, 4, -1, () => new RegprocEncoder());
            }
        }

        switch (id)
        {
            case DuckDBType.Boolean: return new(PgTypes.Bool, 1, -1, () => new BoolEncoder());
            case DuckDBType.TinyInt: return new(PgTypes.Int2, 2, -1, () => new IntegerEncoder<sbyte>(2));
            case DuckDBType.UnsignedTinyInt: return new(PgTypes.Int2, 2, -1, () => new IntegerEncoder<byte>(2));
            case DuckDBType.SmallInt: return new(PgTypes.Int2, 2, -1, () => new IntegerEncoder<short>(2));
            case DuckDBType.UnsignedSmallInt: return new(PgTypes.Int4, 4, -1, () => new IntegerEncoder<ushort>(4));
            case DuckDBType.Integer: return new(PgTypes.Int4, 4, -1, () => new IntegerEncoder<int>(4));
            case DuckDBType.UnsignedInteger: return new(PgTypes.Int8, 8, -1, () => new IntegerEncoder<uint>(8));
            case DuckDBType.BigInt: return new(PgTypes.Int8, 8, -1, () => new IntegerEncoder<long>(8));
            case DuckDBType.UnsignedBigInt: return new(PgTypes.Numeric, -1, -1, () => new NumericEncoder<ulong>(0));
            case DuckDBType.HugeInt: return new(PgTypes.Numeric, -1, -1, () => new NumericEncoder<Int128>(0));
            case DuckDBType.Float: return new(PgTypes.Float4, 4, -1, () => new FloatEncoder());
            case DuckDBType.Double: return new(PgTypes.Float8, 8, -1, () => new DoubleEncoder());
            case DuckDBType.Decimal: return MapDecimal(type);
            case DuckDBType.Varchar: return new(PgTypes.Text, -1, -1, () => new StringEncoder(false));
            case DuckDBType.Blob: return new(PgTypes.Bytea, -1, -1, () => new StringEncoder(true));
            case DuckDBType.Date: return new(PgTypes.Date, 4, -1, () => new DateEncoder());
            case DuckDBType.Time: return new(PgTypes.Time, 8, -1, () => new TimeEncoder());
            case DuckDBType.Timestamp: return new(PgTypes.Timestamp, 8, -1, () => new TimestampEncoder(1, 1, false));
            case DuckDBType.TimestampS: return new(PgTypes.Timestamp, 8, -1, () => new TimestampEncoder(1_000_000, 1, false));
            case DuckDBType.TimestampMs: return new(PgTypes.Timestamp, 8, -1, () => new TimestampEncoder(1_000, 1, false));
            case DuckDBType.TimestampNs: return new(PgTypes.Timestamp, 8, -1, () => new TimestampEncoder(1, 1_000, false));
            case DuckDBType.TimestampTz: return new(PgTypes.TimestampTz, 8, -1, () => new TimestampEncoder(1, 1, true));
            case DuckDBType.Interval: return new(PgTypes.Interval, 16, -1, () => new IntervalEncoder());
            case DuckDBType.Uuid: return new(PgTypes.Uuid, 16, -1, () => new UuidEncoder());
            case DuckDBType.Enum: return MapEnum(type);
            case DuckDBType.List: return MapList(type);
            default: return null;
        }
    }

    /// <summary>The PostgreSQL OID of a parameter's inferred type, or 0 when DuckDB could not infer one.</summary>
    public static int ParameterOid(DuckDBLogicalType type)
    {
        var id = DuckDBGetTypeId(type);
        if (id is DuckDBType.Invalid or DuckDBType.Any or DuckDBType.SqlNull) return 0;
        return Map(type)?.Oid ?? PgTypes.Text;
    }

    private static PgColumnType MapDecimal(DuckDBLogicalType type)
    {
        var width = DuckDBDecimalWidth(type);
        var scale = DuckDBDecimalScale(type);
        var typmod = ((width << 16) | scale) + 4;
        Func<ColumnEncoder> factory = DuckDBDecimalInternalType(type) switch
        {
            DuckDBType.SmallInt => () => new NumericEncoder<short>(scale),
            DuckDBType.Integer => () => new NumericEncoder<int>(scale),
            DuckDBType.BigInt => () => new NumericEncoder<long>(scale),
            _ => () => new NumericEncoder<Int128>(scale),
        };
        return new(PgTypes.Numeric, -1, typmod, factory);
    }

    private static PgColumnType MapEnum(DuckDBLogicalType type)
    {
        var size = DuckDBEnumDictionarySize(type);
        var labels = new byte[size][];
        for (var i = 0; i < size; i++)
            labels[i] = System.Text.Encoding.UTF8.GetBytes(DuckDBEnumDictionaryValue(type, i));
        Func<ColumnEncoder> factory = DuckDBEnumInternalType(type) switch
        {
            DuckDBType.UnsignedTinyInt => () => new EnumEncoder<byte>(labels),
            DuckDBType.UnsignedSmallInt => () => new EnumEncoder<ushort>(labels),
            _ => () => new EnumEncoder<uint>(labels),
        };
        return new(PgTypes.Text, -1, -1, factory);
    }

    private static PgColumnType? MapList(DuckDBLogicalType type)
    {
        using var child = DuckDBListTypeChildType(type);
        var element = Map(child);
        if (element is null) return null;
        var arrayOid = PgTypes.ArrayOf(element.Oid);
        if (arrayOid == 0 || PgTypes.ElementOf(element.Oid) != 0) return null; // nested lists travel as text
        return new(arrayOid, -1, -1, () => new ListEncoder(element.CreateEncoder(), element.Oid));
    }
}
