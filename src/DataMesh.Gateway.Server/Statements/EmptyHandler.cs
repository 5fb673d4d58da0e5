using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>An empty query string (a Parse of only whitespace or comments).</summary>
public sealed class PreparedEmpty : PreparedStatement
{
    internal PreparedEmpty(string name, EmptyStatement empty) : base(name, empty)
    {
    }

    internal override IStatementHandler Handler => EmptyHandler.Instance;
}

/// <summary>EmptyQueryResponse; Describe is NoData.</summary>
internal sealed class EmptyHandler : StatementHandler<PreparedEmpty>
{
    public static readonly EmptyHandler Instance = new();

    protected override StatementResult Execute(StatementContext context, PreparedEmpty statement, Portal portal, int maxRows) => EmptyResult.Instance;
}

/// <summary>Session or transaction control the grammar could not read: it fails when it runs.</summary>
public sealed class PreparedRejected : PreparedStatement
{
    internal PreparedRejected(string name, RejectedStatement rejected) : base(name, rejected) => Rejected = rejected;

    public RejectedStatement Rejected { get; }

    internal override IStatementHandler Handler => RejectedHandler.Instance;
}

/// <summary>Raises the grammar's error at Execute, where the gateway answers session and transaction control.</summary>
internal sealed class RejectedHandler : StatementHandler<PreparedRejected>
{
    public static readonly RejectedHandler Instance = new();

    protected override StatementResult Execute(StatementContext context, PreparedRejected statement, Portal portal, int maxRows) =>
        throw StatementErrors.ToPg(statement.Rejected.Error);
}
