using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// Whether a query's policy subqueries must be fenced (OFFSET 0) so that DuckDB cannot evaluate the user's
/// expressions on rows a row filter hides (REFERENCE.md: errors that depend on hidden rows). A query whose every
/// expression is leak-proof runs unfenced (statistics pruning stays on); anything else is fenced. Column types come
/// from the session's grants; a name that is unknown or means different types in different assets is untyped,
/// which the classifier treats as not leak-proof.
/// </summary>
public static class BarrierPolicy
{
    public static bool Requires(ParsedQuery query, GrantSet grants)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(grants);
        var types = GrantColumnTypes.Of(grants);
        var classifier = new LeakProofness(parts => parts.Count > 0 && types.TryGetValue(parts[^1], out var t) ? t : null);
        return classifier.Analyze(query).RequiresBarrier;
    }
}
