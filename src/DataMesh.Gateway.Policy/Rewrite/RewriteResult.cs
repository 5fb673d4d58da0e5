using DataMesh.Gateway.Policy.Grants;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>The engine's SQL for a user's query, and the grants it used (for the audit record).</summary>
public sealed record RewriteResult(string Sql, IReadOnlyList<AssetGrant> Grants, bool Barrier);
