using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>A statement created by Parse (or by the simple-query path), named or unnamed.</summary>
public sealed class PreparedStatement : IDisposable
{
    public PreparedStatement(string name, SqlStatement statement, StatementKind kind, int[] parameterOids, PreparedQuery? engineQuery)
    {
        Name = name;
        Statement = statement;
        Kind = kind;
        ParameterOids = parameterOids;
        EngineQuery = engineQuery;
    }

    public string Name { get; }
    public SqlStatement Statement { get; }
    public StatementKind Kind { get; }

    /// <summary>The client's declared OIDs, with the engine's inferred type where the client said 0.</summary>
    public int[] ParameterOids { get; }

    public PreparedQuery? EngineQuery { get; private set; }

    /// <summary>The user's engine text (with parameter casts) before governance: re-planned when the policy changes.</summary>
    public string? EngineText { get; init; }

    /// <summary>The governed rewrite the engine query was prepared from, and the policy version it holds.</summary>
    public Policy.Rewrite.RewriteResult? Plan { get; private set; }

    public void SetPlan(Policy.Rewrite.RewriteResult plan) => Plan = plan;

    /// <summary>
    /// Releases the engine query before the session moves to another engine connection; the statement is prepared
    /// again (and re-planned) at its next Bind, Describe or Execute.
    /// </summary>
    public void Detach()
    {
        if (Plan is null) return;
        EngineQuery?.Dispose();
        EngineQuery = null;
    }

    public bool IsDetached => Plan is not null && EngineQuery is null;

    /// <summary>Swaps in a query prepared from a newer plan (the grants changed since Parse).</summary>
    public void Replace(PreparedQuery query, Policy.Rewrite.RewriteResult plan)
    {
        if (!ReferenceEquals(EngineQuery, query)) EngineQuery?.Dispose();
        EngineQuery = query;
        Plan = plan;
    }

    /// <summary>The statement as the gateway classified it (its kind's payload).</summary>
    public required Sql.Statements.Statement Parsed { get; init; }

    public void Dispose() => EngineQuery?.Dispose();
}
