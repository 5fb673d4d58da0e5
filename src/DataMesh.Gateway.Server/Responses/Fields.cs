using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Protocol.Types;

namespace DataMesh.Gateway.Server.Responses;

/// <summary>RowDescription fields for result columns.</summary>
internal static class Fields
{
    public static List<FieldDescription> For(IReadOnlyList<ResultColumn> columns, FormatCode[] formats) =>
        columns.Select((c, i) => new FieldDescription(c.Name, c.TypeOid, c.TypeLength, c.TypeModifier, BindMessage.FormatFor(formats, i))).ToList();

    /// <summary>The one text column of SHOW and set_config.</summary>
    public static FieldDescription[] Text(string name) => [new FieldDescription(name, PgTypes.Text, -1, -1)];
}
