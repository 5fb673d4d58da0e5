using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary><c>CLOSE name</c> or <c>CLOSE ALL</c>.</summary>
public sealed class PreparedClose : PreparedStatement
{
    internal PreparedClose(string name, CloseCursorStatement close) : base(name, close) => Close = close;

    public CloseCursorStatement Close { get; }

    internal override IStatementHandler Handler => CloseHandler.Instance;
}

/// <summary>Closes one cursor (34000 if there is none of that name) or every SQL cursor.</summary>
internal sealed class CloseHandler : StatementHandler<PreparedClose>
{
    public static readonly CloseHandler Instance = new();

    protected override StatementResult Execute(StatementContext context, PreparedClose statement, Portal portal, int maxRows)
    {
        var session = context.Session;
        if (statement.Close.Name is not { } name)
        {
            session.ClosePortalsWhere(p => p.IsSqlCursor);
            return new CommandResult("CLOSE CURSOR ALL");
        }
        var cursor = FetchHandler.FindCursor(session, name);
        session.Portals.Remove(name);
        cursor.Dispose();
        return new CommandResult("CLOSE CURSOR");
    }
}
