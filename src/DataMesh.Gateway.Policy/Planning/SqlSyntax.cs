namespace DataMesh.Gateway.Policy.Planning;

/// <summary>
/// DuckDB's parser as the policy uses it: the syntax tree of a text (json_serialize_sql) and whether a text casts to a
/// type (TRY_CAST). The engine provides both on private connections (SqlParser); the policy itself never runs SQL.
/// </summary>
public sealed record SqlSyntax(Func<string, string> Serialize, Func<string, string, bool> CanCast);
