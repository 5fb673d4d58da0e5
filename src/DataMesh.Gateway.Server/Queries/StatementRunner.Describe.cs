using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>Describe for statements and portals: RowDescription or NoData.</summary>
public sealed partial class StatementRunner
{
    /// <summary>Describe of a statement: ParameterDescription, then RowDescription (text formats) or NoData.</summary>
    public void DescribeStatement(Session session, PreparedStatement statement)
    {
        Revalidate(session, statement);
        Out.ParameterDescription(statement.ParameterOids);
        if (statement.Kind == StatementKind.Cursor) DescribeFetch(session, statement, []);
        else WriteRowDescriptionOrNoData(statement, null, []);
    }

    /// <summary>Describe of a portal: the engine query starts here, so the description has the real result types.</summary>
    public void DescribePortal(Session session, Portal portal)
    {
        if (portal.Statement.Kind == StatementKind.Admin)
        {
            // An admin command's columns are known only once it ran: it runs here, once, and Execute sends the rows.
            var result = portal.AdminResult ??= RunAdmin(session, portal.Statement);
            if (result.Columns.Count > 0) Out.RowDescription(AdminResultWriter.Describe(result, portal.ResultFormats));
            else Out.NoData();
            return;
        }
        if (portal.Statement.Kind == StatementKind.Cursor)
        {
            DescribeFetch(session, portal.Statement, portal.ResultFormats);
            return;
        }
        QueryCursor? cursor = null;
        if (portal.Statement.Kind == StatementKind.EngineQuery && !portal.Completed)
            cursor = portal.Cursor ??= Start(session, portal.Statement, portal.Parameters);
        WriteRowDescriptionOrNoData(portal.Statement, cursor, portal.ResultFormats);
    }

    private void WriteRowDescriptionOrNoData(PreparedStatement statement, QueryCursor? cursor, FormatCode[] formats)
    {
        switch (statement.Kind)
        {
            case StatementKind.EngineQuery:
                var columns = cursor?.Columns ?? statement.EngineQuery!.Columns;
                Out.RowDescription(Describe(columns, formats, statement.ColumnOrigins));
                break;
            case StatementKind.Session when SessionStatements.ResultColumnOf(statement.Statement) is { } column:
                Out.RowDescription([new FieldDescription(column, Protocol.Types.PgTypes.Text, -1, -1)]);
                break;
            default:
                Out.NoData();
                break;
        }
    }

    private static List<FieldDescription> Describe(IReadOnlyList<ResultColumn> columns, FormatCode[] formats,
        (int TableOid, short Attribute)[]? origins = null) =>
        columns.Select((c, i) => new FieldDescription(c.Name, c.TypeOid, c.TypeLength, c.TypeModifier, BindMessage.FormatFor(formats, i),
            origins is { } o && i < o.Length ? o[i].TableOid : 0, origins is { } a && i < a.Length ? a[i].Attribute : (short)0)).ToList();
}
