using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// A prepared statement that runs a governed query in the engine (a query, COPY, DECLARE): the engine's prepared
/// query, the governed plan it was prepared from and the user's engine text, re-planned when the policy changes.
/// </summary>
public abstract class EngineStatement : PreparedStatement
{
    private RewriteResult _plan;
    private readonly int[] _parameterOids;

    private protected EngineStatement(string name, Statement parsed, EngineQuery prepared) : base(name, parsed)
    {
        _parameterOids = prepared.ParameterOids;
        EngineQuery = prepared.Query;
        EngineText = prepared.EngineText;
        _plan = prepared.Plan;
        ColumnOrigins = prepared.ColumnOrigins;
        PreparedOn = prepared.Engine;
    }

    /// <summary>
    /// The engine connection the query is prepared and runs on when it is not the session's: a SQL cursor's own
    /// (DuckDB ends a connection's streaming result when that connection runs anything else).
    /// </summary>
    public EngineSession? PreparedOn { get; }

    /// <summary>The table OID and attribute number of each result column for RowDescription (null when untraced).</summary>
    public (int TableOid, short Attribute)[]? ColumnOrigins { get; }

    public override int[] ParameterOids => _parameterOids;

    public PreparedQuery? EngineQuery { get; private set; }

    /// <summary>The user's engine text (with parameter casts) before governance: re-planned when the policy changes.</summary>
    public string EngineText { get; }

    /// <summary>The governed rewrite the engine query was prepared from, and the policy version it holds.</summary>
    public override RewriteResult Plan => _plan;

    internal void SetPlan(RewriteResult plan) => _plan = plan;

    /// <summary>
    /// Releases the engine query before the session moves to another engine connection; the statement is prepared
    /// again (and re-planned) at its next Bind, Describe or Execute.
    /// </summary>
    internal void Detach()
    {
        EngineQuery?.Dispose();
        EngineQuery = null;
    }

    public bool IsDetached => EngineQuery is null;

    /// <summary>Swaps in a query prepared from a newer plan (the grants changed since Parse).</summary>
    internal void Replace(PreparedQuery query, RewriteResult plan)
    {
        if (!ReferenceEquals(EngineQuery, query)) EngineQuery?.Dispose();
        EngineQuery = query;
        _plan = plan;
    }

    public override void Dispose() => EngineQuery?.Dispose();
}

/// <summary>What preparing a governed query produced: the engine text, its plan, the engine's query, the parameter types.</summary>
internal sealed record EngineQuery(string EngineText, RewriteResult Plan, PreparedQuery Query, int[] ParameterOids)
{
    /// <summary>The connection <see cref="Query"/> was prepared on when it is not the session's (a SQL cursor's own).</summary>
    public EngineSession? Engine { get; init; }

    /// <summary>Each result column's base table OID and attribute number (zeros for a computed one), when traced.</summary>
    public (int TableOid, short Attribute)[]? ColumnOrigins { get; init; }
}
