using System.Collections.Frozen;

namespace DataMesh.Gateway.Protocol.Types;

/// <summary>The built-in PostgreSQL types the gateway speaks, with their real OIDs (pg_type.dat).</summary>
public static class PgTypes
{
    public const int Unspecified = 0;
    public const int Bool = 16;
    public const int Bytea = 17;
    public const int Char = 18;
    public const int Name = 19;
    public const int Int8 = 20;
    public const int Int2 = 21;
    public const int Int4 = 23;
    public const int Regproc = 24;
    public const int Text = 25;
    public const int Oid = 26;
    public const int Json = 114;
    public const int Float4 = 700;
    public const int Float8 = 701;
    public const int Unknown = 705;
    public const int BpChar = 1042;
    public const int Varchar = 1043;
    public const int Date = 1082;
    public const int Time = 1083;
    public const int Timestamp = 1114;
    public const int TimestampTz = 1184;
    public const int Interval = 1186;
    public const int TimeTz = 1266;
    public const int Numeric = 1700;
    public const int Regclass = 2205;
    public const int Regtype = 2206;
    public const int Record = 2249;
    public const int Void = 2278;
    public const int Uuid = 2950;
    public const int Jsonb = 3802;

    public const int BoolArray = 1000;
    public const int ByteaArray = 1001;
    public const int Int2Array = 1005;
    public const int Int4Array = 1007;
    public const int TextArray = 1009;
    public const int VarcharArray = 1015;
    public const int Int8Array = 1016;
    public const int Float4Array = 1021;
    public const int Float8Array = 1022;
    public const int TimestampArray = 1115;
    public const int DateArray = 1182;
    public const int TimeArray = 1183;
    public const int TimestampTzArray = 1185;
    public const int IntervalArray = 1187;
    public const int NumericArray = 1231;
    public const int UuidArray = 2951;
    public const int JsonArray = 199;
    public const int JsonbArray = 3807;

    /// <summary>Base types with their array types. Order matters only for readability.</summary>
    public static readonly IReadOnlyList<PgTypeInfo> All = Build();

    private static readonly FrozenDictionary<int, PgTypeInfo> ByOid = All.ToFrozenDictionary(t => t.Oid);

    public static PgTypeInfo? Find(int oid) => ByOid.GetValueOrDefault(oid);

    public static int ArrayOf(int elementOid) => Find(elementOid)?.ArrayOid ?? 0;

    public static int ElementOf(int arrayOid) => Find(arrayOid)?.ElementOid ?? 0;

    public static short LengthOf(int oid) => Find(oid)?.Length ?? -1;

    private static List<PgTypeInfo> Build()
    {
        var list = new List<PgTypeInfo>();
        void Add(int oid, string name, short len, char cat, string recv, int arrayOid)
        {
            list.Add(new PgTypeInfo(oid, name, len, cat, recv, arrayOid));
            if (arrayOid != 0)
                list.Add(new PgTypeInfo(arrayOid, "_" + name, -1, 'A', "array_recv", 0, oid));
        }

        Add(Bool, "bool", 1, 'B', "boolrecv", BoolArray);
        Add(Bytea, "bytea", -1, 'U', "bytearecv", ByteaArray);
        Add(Char, "char", 1, 'Z', "charrecv", 1002);
        Add(Name, "name", 64, 'S', "namerecv", 1003);
        Add(Int8, "int8", 8, 'N', "int8recv", Int8Array);
        Add(Int2, "int2", 2, 'N', "int2recv", Int2Array);
        Add(Int4, "int4", 4, 'N', "int4recv", Int4Array);
        Add(Regproc, "regproc", 4, 'N', "regprocrecv", 1008);
        Add(Text, "text", -1, 'S', "textrecv", TextArray);
        Add(Oid, "oid", 4, 'N', "oidrecv", 1028);
        Add(Json, "json", -1, 'U', "json_recv", JsonArray);
        Add(Float4, "float4", 4, 'N', "float4recv", Float4Array);
        Add(Float8, "float8", 8, 'N', "float8recv", Float8Array);
        Add(BpChar, "bpchar", -1, 'S', "bpcharrecv", 1014);
        Add(Varchar, "varchar", -1, 'S', "varcharrecv", VarcharArray);
        Add(Date, "date", 4, 'D', "date_recv", DateArray);
        Add(Time, "time", 8, 'D', "time_recv", TimeArray);
        Add(Timestamp, "timestamp", 8, 'D', "timestamp_recv", TimestampArray);
        Add(TimestampTz, "timestamptz", 8, 'D', "timestamptz_recv", TimestampTzArray);
        Add(Interval, "interval", 16, 'T', "interval_recv", IntervalArray);
        Add(TimeTz, "timetz", 12, 'D', "timetz_recv", 1270);
        Add(Numeric, "numeric", -1, 'N', "numeric_recv", NumericArray);
        Add(Regclass, "regclass", 4, 'N', "regclassrecv", 2210);
        Add(Regtype, "regtype", 4, 'N', "regtyperecv", 2211);
        Add(Uuid, "uuid", 16, 'U', "uuid_recv", UuidArray);
        Add(Jsonb, "jsonb", -1, 'U', "jsonb_recv", JsonbArray);
        list.Add(new PgTypeInfo(Unknown, "unknown", -2, 'X', "unknownrecv", TypeKind: 'p'));
        list.Add(new PgTypeInfo(Record, "record", -1, 'P', "record_recv", 2287, TypeKind: 'p'));
        list.Add(new PgTypeInfo(2287, "_record", -1, 'P', "array_recv", 0, Record, 'p'));
        list.Add(new PgTypeInfo(Void, "void", 4, 'P', "void_recv", TypeKind: 'p'));
        return list;
    }
}
