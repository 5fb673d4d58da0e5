using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types;

namespace DataMesh.Gateway.Server.Responses;

/// <summary>RowDescription fields for result columns.</summary>
internal static class Fields
{
    /// <param name="origins">The base table OID and attribute number of each column, as PostgreSQL sends them for a
    /// column read straight from a table (zeros otherwise).</param>
    public static List<FieldDescription> For(IReadOnlyList<ResultColumn> columns, FormatCode[] formats,
        (int TableOid, short Attribute)[]? origins = null) =>
        columns.Select((c, i) => new FieldDescription(c.Name, c.TypeOid, c.TypeLength, c.TypeModifier, BindMessage.FormatFor(formats, i),
            origins is { } o && i < o.Length ? o[i].TableOid : 0, origins is { } a && i < a.Length ? a[i].Attribute : (short)0)).ToList();

    /// <summary>The one text column of SHOW and set_config.</summary>
    public static FieldDescription[] Text(string name) => [new FieldDescription(name, PgTypes.Text, -1, -1)];
}
