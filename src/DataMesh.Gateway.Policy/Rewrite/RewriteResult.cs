using DataMesh.Gateway.Policy.Grants;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// The engine's SQL for a user's query, the grants it used (for the audit record and for revocation checks of open
/// portals), whether the policy subqueries were fenced, and the policy version it was computed at.
/// </summary>
public sealed record RewriteResult(string Sql, IReadOnlyList<AssetGrant> Grants, bool Barrier)
{
    public string PolicyVersion { get; init; } = "";

    /// <summary>The user's select list traced to the tables it names (RowDescription's table OIDs); null when it cannot be.</summary>
    public Sql.Ast.SelectColumnSources? ColumnSources { get; init; }

    /// <summary>PostgreSQL's names of the result columns (Sql.Ast.PgColumnNaming); null: the engine's names stay.</summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>The constant checks to run with the bound parameters before each execution (Constants/ConstantFolding).</summary>
    public Constants.ConstantPlan Constants { get; init; } = Rewrite.Constants.ConstantPlan.None;

    /// <summary>The workspace tables the query reads (names as written): their lineage must still stand.</summary>
    public IReadOnlyList<string> WorkspaceTables { get; init; } = [];

    /// <summary>The subscription ids that allowed the query (own assets need none).</summary>
    public IEnumerable<long> SubscriptionIds => Grants.SelectMany(g => g.SubscriptionIds).Distinct();
}
