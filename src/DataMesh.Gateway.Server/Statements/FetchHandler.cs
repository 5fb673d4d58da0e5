using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary><c>FETCH</c> or <c>MOVE</c> from a cursor (forward only).</summary>
public sealed class PreparedFetch : PreparedStatement
{
    internal PreparedFetch(string name, FetchStatement fetch) : base(name, fetch) => Fetch = fetch;

    public FetchStatement Fetch { get; }

    internal override IStatementHandler Handler => FetchHandler.Instance;
}

/// <summary>
/// FETCH streams the next rows of an open cursor (in the Bind's formats in the extended protocol, else the cursor's own:
/// BINARY or text); MOVE reads and drops them. Both go through the row pump, so the grant check between batches, the
/// statement timeout and cancel apply. Describe of a FETCH is the cursor's columns (34000 for an unknown cursor).
/// </summary>
internal sealed class FetchHandler : StatementHandler<PreparedFetch>
{
    public static readonly FetchHandler Instance = new();

    protected override IReadOnlyList<FieldDescription>? Describe(StatementContext context, PreparedFetch statement) =>
        Describe(context, statement, []);

    public override IReadOnlyList<FieldDescription>? DescribePortal(StatementContext context, Portal portal) =>
        Describe(context, (PreparedFetch)portal.Statement, portal.ResultFormats);

    private static IReadOnlyList<FieldDescription>? Describe(StatementContext context, PreparedFetch statement, FormatCode[] formats)
    {
        if (statement.Fetch.Move) return null;
        var cursor = FindCursor(context.Session, statement.Fetch.Name);
        var own = (EngineStatement)cursor.Statement;
        var columns = cursor.Cursor?.Columns ?? own.EngineQuery!.Columns;
        return Fields.For(columns, FetchFormats(cursor, formats), own.ColumnOrigins);
    }

    protected override StatementResult Execute(StatementContext context, PreparedFetch statement, Portal portal, int maxRows)
    {
        var fetch = statement.Fetch;
        var cursor = FindCursor(context.Session, fetch.Name);
        var verb = fetch.Move ? "MOVE" : "FETCH";
        var formats = FetchFormats(cursor, portal.ResultFormats);
        if (cursor.Completed || cursor.Cursor is null)
        {
            var own = (EngineStatement)cursor.Statement;
            var columns = !fetch.Move && cursor.Cursor is null ? own.EngineQuery?.Columns : null;
            return new CommandResult($"{verb} 0") { Fields = columns is null ? null : Fields.For(columns, formats, own.ColumnOrigins) };
        }
        return new RowsResult(cursor, formats, fetch.Count, verb) { Discard = fetch.Move, CloseOnError = true };
    }

    /// <summary>The Bind's result formats for a FETCH in the extended protocol, else the cursor's own (BINARY or text).</summary>
    private static FormatCode[] FetchFormats(Portal cursor, FormatCode[] requested) => requested.Length > 0 ? requested : cursor.ResultFormats;

    public static Portal FindCursor(Session session, string name) =>
        session.Portals.TryGetValue(name, out var portal) && portal.Statement is PreparedEngineQuery
            ? portal
            : throw new PgErrorException(SqlState.InvalidCursorName, $"cursor \"{name}\" does not exist");
}
