using DataMesh.Gateway.Protocol.Messages.Frontend;

namespace DataMesh.Gateway.Protocol.Messages.Backend;

/// <summary>One column of a RowDescription.</summary>
/// <remarks>TableOid stays 0 unless pg_attribute can answer for it: pgjdbc looks up every non-zero table OID.</remarks>
public readonly record struct FieldDescription(
    string Name,
    int TypeOid,
    short TypeLength,
    int TypeModifier,
    FormatCode Format = FormatCode.Text,
    int TableOid = 0,
    short ColumnAttribute = 0);
