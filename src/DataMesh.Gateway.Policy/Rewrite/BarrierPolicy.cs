using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// Whether a query's policy subqueries must be fenced (OFFSET 0) so that DuckDB cannot evaluate the user's
/// expressions on rows a row filter hides (REFERENCE.md: errors that depend on hidden rows). Until the expression
/// classifier lands, every query is treated as not leak-proof: always fenced, which is safe and costs speed only.
/// </summary>
public static class BarrierPolicy
{
    public static bool Requires(ParsedQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return true;
    }
}
