namespace DataMesh.Gateway.Protocol.Types;

/// <summary>A PostgreSQL type as clients see it in pg_type and in RowDescription.</summary>
/// <param name="Length">typlen: fixed size in bytes, or -1 for variable length.</param>
/// <param name="Category">typcategory, e.g. 'N' numeric, 'S' string, 'A' array.</param>
/// <param name="ReceiveFunction">typreceive's proname; Npgsql recognises arrays by <c>array_recv</c>.</param>
public sealed record PgTypeInfo(
    int Oid,
    string Name,
    short Length,
    char Category,
    string ReceiveFunction,
    int ArrayOid = 0,
    int ElementOid = 0,
    char TypeKind = 'b')
{
    public bool IsArray => ElementOid != 0;
}
