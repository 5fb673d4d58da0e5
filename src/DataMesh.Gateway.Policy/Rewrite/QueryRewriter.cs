using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// Rewrites one consumer SELECT: every reference to a granted asset becomes its policy subquery (spliced over the
/// exact span of the name, so the user's alias stays), CTE references stay, everything else is refused. The result is
/// parsed again and must contain exactly the generated sources: if the engine would read anything else, fail closed.
/// </summary>
public static class QueryRewriter
{
    private static readonly HashSet<string> AllowedTableFunctions = new(StringComparer.OrdinalIgnoreCase) { "range", "generate_series", "unnest" };

    public static RewriteResult Rewrite(string sql, GrantSet grants, Func<string, string> serialize, string maskSecret, bool barrier)
    {
        var parsed = SqlAst.Parse(serialize(sql), sql);
        if (parsed.UnknownKinds.Count > 0)
            throw PolicyException.Refused("the query uses a construct the gateway does not know how to govern");

        var replacements = new List<(TextSpan Span, string Text)>();
        var used = new List<AssetGrant>();
        foreach (var table in parsed.TableReferences)
        {
            switch (table.Kind)
            {
                case TableRefKind.BaseTable when table.RefersToCte:
                    break;
                case TableRefKind.BaseTable:
                    if (table.CatalogName.Length > 0) throw PolicyException.Refused("catalog-qualified table names are not allowed");
                    if (table.HasAtClause) throw PolicyException.Refused("time-travel (AT) clauses are not allowed");
                    // DuckDB reads a table name that looks like a file (x.parquet, dir/*.csv, s3://…) as that file.
                    if (table.TableName.IndexOfAny(['/', '\\', '*', '?', '.', ':']) >= 0)
                        throw PolicyException.Refused("reading files by path is not allowed; query an asset by its name");
                    var grant = grants.Resolve(table.SchemaName, table.TableName);
                    var span = table.NameSpan ?? throw PolicyException.Refused("the table reference could not be located");
                    var subquery = "(" + PolicySubquery.Build(grant, maskSecret, barrier) + ")";
                    // Keep the user's alias; without one, the asset's own name keeps qualified column references working.
                    if (string.IsNullOrEmpty(table.Alias)) subquery += " AS " + PolicySubquery.Quote(table.TableName);
                    replacements.Add((span, subquery));
                    used.Add(grant);
                    break;
                case TableRefKind.TableFunction when AllowedTableFunctions.Contains(table.FunctionName ?? ""):
                    break;
                case TableRefKind.TableFunction:
                    throw PolicyException.Refused($"table function \"{table.FunctionName}\" is not allowed");
                case TableRefKind.Subquery or TableRefKind.Join or TableRefKind.ExpressionList or TableRefKind.Empty or TableRefKind.Pivot:
                    break;
                case TableRefKind.ShowRef:
                    throw PolicyException.Refused("DESCRIBE, SHOW and SUMMARIZE of tables are not available to consumer queries");
                default:
                    throw PolicyException.Refused("the query uses a table reference the gateway does not know how to govern");
            }
        }

        var rewritten = sql;
        foreach (var (span, text) in replacements.OrderByDescending(r => r.Span.Start))
            rewritten = rewritten[..span.Start] + text + rewritten[span.End..];

        Verify(rewritten, used, serialize);
        return new RewriteResult(rewritten, used.DistinctBy(g => g.QualifiedName).ToList(), barrier);
    }

    /// <summary>The rewritten text must read exactly the generated sources and nothing else.</summary>
    private static void Verify(string rewritten, IReadOnlyList<AssetGrant> used, Func<string, string> serialize)
    {
        var parsed = SqlAst.Parse(serialize(rewritten), rewritten);
        var expected = used.Select(g => g.SourcePath).OrderBy(p => p, StringComparer.Ordinal).ToList();
        var reads = new List<string>();
        foreach (var table in parsed.TableReferences)
        {
            if (table.Kind == TableRefKind.BaseTable && !table.RefersToCte)
                throw PolicyException.Refused("the rewritten query would read a table the policy did not generate");
            if (table.Kind == TableRefKind.TableFunction && string.Equals(table.FunctionName, "read_parquet", StringComparison.OrdinalIgnoreCase))
                reads.Add(table.Alias);
        }
        if (reads.Count != expected.Count || reads.Any(alias => alias != GrantSet.SourceAlias))
            throw PolicyException.Refused("the rewritten query would read a source the policy did not generate");
    }
}
