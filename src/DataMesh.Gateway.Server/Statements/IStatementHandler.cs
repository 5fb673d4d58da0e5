using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// The answer to one kind of statement, in the manner of pgwire's query handlers: it describes and runs prepared
/// statements and returns values; it never writes to the wire (<see cref="ResponseWriter"/> does).
/// </summary>
internal interface IStatementHandler
{
    /// <summary>Before Bind and Describe: a statement planned under an older policy version is planned again.</summary>
    void Revalidate(StatementContext context, PreparedStatement statement);

    /// <summary>Describe of the statement: its result columns (text formats), or null for NoData.</summary>
    IReadOnlyList<FieldDescription>? DescribeStatement(StatementContext context, PreparedStatement statement);

    /// <summary>Describe of a portal: its result columns in the Bind's formats, or null for NoData.</summary>
    IReadOnlyList<FieldDescription>? DescribePortal(StatementContext context, Portal portal);

    /// <summary>Runs the portal (at most <paramref name="maxRows"/> rows when it streams; 0 = all).</summary>
    StatementResult Execute(StatementContext context, Portal portal, int maxRows);
}

/// <summary>A handler for one sealed kind of <see cref="PreparedStatement"/>: the cast is made here, once.</summary>
internal abstract class StatementHandler<T> : IStatementHandler where T : PreparedStatement
{
    public void Revalidate(StatementContext context, PreparedStatement statement) => Revalidate(context, (T)statement);

    public IReadOnlyList<FieldDescription>? DescribeStatement(StatementContext context, PreparedStatement statement) =>
        Describe(context, (T)statement);

    public virtual IReadOnlyList<FieldDescription>? DescribePortal(StatementContext context, Portal portal) =>
        Describe(context, (T)portal.Statement);

    public StatementResult Execute(StatementContext context, Portal portal, int maxRows) =>
        Execute(context, (T)portal.Statement, portal, maxRows);

    protected virtual void Revalidate(StatementContext context, T statement)
    {
    }

    protected virtual IReadOnlyList<FieldDescription>? Describe(StatementContext context, T statement) => null;

    protected abstract StatementResult Execute(StatementContext context, T statement, Portal portal, int maxRows);
}
