using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// Rewrites one consumer SELECT: every reference to a granted asset becomes its policy subquery (spliced over the
/// exact span of the name, so the user's alias stays), CTE references and metadata relations stay, everything else is
/// refused. The result is parsed again and must contain exactly the generated sources: if the engine would read
/// anything else, fail closed.
/// </summary>
public static class QueryRewriter
{
    // SHOW TABLES and SHOW ALL TABLES: they list the instance's catalog, which is the project's shadow catalog.
    private static readonly HashSet<string> ShowTableTargets = new(StringComparer.Ordinal) { "\"tables\"", "__show_tables_expanded" };

    /// <param name="barrier">Fence every policy subquery that has a row filter (the query holds an expression that is
    /// not leak-proof, so DuckDB must not push it below the filter).</param>
    public static RewriteResult Rewrite(ParsedQuery parsed, GrantSet grants, Func<string, string> serialize, string maskSecret,
        bool barrier, RewriteOptions options)
    {
        var sql = parsed.OriginalSql;
        if (parsed.UnknownKinds.Count > 0)
            throw PolicyException.Refused("the query uses a construct the gateway does not know how to govern");

        var replacements = new List<(TextSpan Span, string Text)>();
        var used = new List<AssetGrant>();
        var workspaceTables = new List<string>();
        var describes = parsed.TableReferences.Any(t => t.Kind == TableRefKind.ShowRef && t.ShowType is "DESCRIBE" or "SUMMARY");
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
                    if (CatalogRelations.Contains(table.SchemaName, table.TableName)) break;
                    if (options.Workspace && table.SchemaName.Equals("workspace", StringComparison.OrdinalIgnoreCase))
                    {
                        workspaceTables.Add(table.TableName);
                        break;
                    }
                    if (CatalogRelations.IsReservedSchema(table.SchemaName)) throw PolicyException.UndefinedTable(table.QualifiedName);
                    var grant = grants.Resolve(table.SchemaName, table.TableName);
                    if (grant.Unavailable is { } why) throw PolicyException.Refused(why);
                    if (grant.IdentityCalls.Count > 0) throw PolicyException.Refused($"the row filter of {grant.QualifiedName} was not bound to the session's identity");
                    var span = table.NameSpan ?? throw PolicyException.Refused("the table reference could not be located");
                    var subquery = "(" + PolicySubquery.Build(grant, maskSecret, barrier && grant.QualifiedRowFilter is not null) + ")";
                    // Keep the user's alias; without one, the asset's own name keeps qualified column references working.
                    if (string.IsNullOrEmpty(table.Alias)) subquery += " AS " + PolicySubquery.Quote(table.TableName);
                    // DESCRIBE t / SUMMARIZE t take a bare name, not a subquery: describe the policy subquery instead.
                    if (describes && IsDirectShowTarget(sql, span)) subquery = "SELECT * FROM " + subquery;
                    replacements.Add((span, subquery));
                    used.Add(grant);
                    break;
                case TableRefKind.TableFunction when table.FunctionCatalog is null or "" && FunctionPolicy.IsAllowedTable(table.FunctionName ?? ""):
                    break;
                case TableRefKind.TableFunction:
                    throw PolicyException.Refused($"table function \"{table.FunctionName}\" is not allowed");
                case TableRefKind.Subquery or TableRefKind.Join or TableRefKind.ExpressionList or TableRefKind.Empty or TableRefKind.Pivot:
                    break;
                case TableRefKind.ShowRef when table.ShowType is "DESCRIBE" or "SUMMARY" && table.TableName.Length == 0:
                    break; // describes a query; its own table references are governed like any other
                case TableRefKind.ShowRef when options.ShadowCatalog && table.ShowType == "SHOW_UNQUALIFIED" && ShowTableTargets.Contains(table.TableName):
                    break;
                case TableRefKind.ShowRef:
                    throw new PolicyException("0A000", "this form of SHOW is not available to consumer queries",
                        "use SHOW TABLES, DESCRIBE <asset> or information_schema");
                default:
                    throw PolicyException.Refused("the query uses a table reference the gateway does not know how to govern");
            }
        }

        replacements.AddRange(SchemaQualifiedColumns(parsed, sql));

        var rewritten = sql;
        foreach (var (span, text) in replacements.OrderByDescending(r => r.Span.Start))
            rewritten = rewritten[..span.Start] + text + rewritten[span.End..];

        Verify(rewritten, used, serialize, options);
        var grantsUsed = used.DistinctBy(g => g.QualifiedName).ToList();
        return new RewriteResult(rewritten, grantsUsed, barrier && grantsUsed.Any(g => g.QualifiedRowFilter is not null))
        {
            PolicyVersion = grants.Fingerprint,
            WorkspaceTables = workspaceTables.Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        };
    }

    /// <summary>
    /// <c>marketing.mkt_sls_table.item_id</c> names a column through the asset's schema, which the policy subquery
    /// (aliased as the bare table name) no longer has: drop the schema part so the reference binds to the subquery.
    /// Only for references whose schema and table are an unaliased asset reference of this query.
    /// </summary>
    private static IEnumerable<(TextSpan Span, string Text)> SchemaQualifiedColumns(ParsedQuery parsed, string sql)
    {
        var tables = parsed.TableReferences
            .Where(t => t.Kind == TableRefKind.BaseTable && !t.RefersToCte && t.SchemaName.Length > 0 && t.Alias.Length == 0)
            .Select(t => (t.SchemaName, t.TableName)).ToHashSet();
        if (tables.Count == 0) yield break;
        foreach (var column in parsed.ColumnReferences)
        {
            if (column.ColumnNames.Count != 3 || column.Offset is not { } at) continue;
            if (!tables.Contains((column.ColumnNames[0], column.ColumnNames[1]))) continue;
            var end = SkipIdentifier(sql, at);
            while (end < sql.Length && char.IsWhiteSpace(sql[end])) end++;
            if (end <= at || end >= sql.Length || sql[end] != '.')
                throw PolicyException.Refused("a schema-qualified column reference could not be located");
            yield return (new TextSpan(at, end + 1 - at), "");
        }
    }

    private static int SkipIdentifier(string sql, int at)
    {
        if (at >= sql.Length) return at;
        if (sql[at] == '"')
        {
            var i = at + 1;
            while (i < sql.Length)
            {
                if (sql[i] == '"' && (i + 1 >= sql.Length || sql[i + 1] != '"')) return i + 1;
                i += sql[i] == '"' ? 2 : 1;
            }
            return at;
        }
        var j = at;
        while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] is '_' or '$')) j++;
        return j;
    }

    /// <summary>True when the name is the whole target of a leading DESCRIBE/SUMMARIZE/SHOW keyword.</summary>
    private static bool IsDirectShowTarget(string sql, TextSpan span)
    {
        var before = sql[..span.Start].Trim();
        var after = sql[span.End..].Trim().TrimEnd(';').Trim();
        return after.Length == 0 && before.ToUpperInvariant() is "DESCRIBE" or "DESC" or "SUMMARIZE" or "SHOW";
    }

    /// <summary>The rewritten text must read exactly the generated sources and nothing else.</summary>
    private static void Verify(string rewritten, IReadOnlyList<AssetGrant> used, Func<string, string> serialize, RewriteOptions options)
    {
        ParsedQuery parsed;
        try
        {
            parsed = SqlAst.Parse(serialize(rewritten), rewritten);
        }
        catch (SqlAstException)
        {
            // The user's text parsed; the spliced text did not (a name in a position that takes no subquery).
            throw PolicyException.Refused("an asset is referenced in a position the gateway cannot govern");
        }
        var reads = 0;
        foreach (var table in parsed.TableReferences)
        {
            switch (table.Kind)
            {
                case TableRefKind.BaseTable when table.RefersToCte:
                    break;
                case TableRefKind.BaseTable when table.CatalogName.Length == 0 && CatalogRelations.Contains(table.SchemaName, table.TableName):
                    break;
                case TableRefKind.BaseTable when options.Workspace && table.CatalogName.Length == 0
                    && table.SchemaName.Equals("workspace", StringComparison.OrdinalIgnoreCase):
                    break;
                case TableRefKind.BaseTable:
                    throw PolicyException.Refused("the rewritten query would read a table the policy did not generate");
                case TableRefKind.TableFunction when string.Equals(table.FunctionName, "read_parquet", StringComparison.OrdinalIgnoreCase):
                    if (table.Alias != GrantSet.SourceAlias)
                        throw PolicyException.Refused("the rewritten query would read a source the policy did not generate");
                    reads++;
                    break;
                case TableRefKind.TableFunction when FunctionPolicy.IsAllowedTable(table.FunctionName ?? ""):
                    break;
                case TableRefKind.TableFunction:
                    throw PolicyException.Refused("the rewritten query would call a table function the policy did not allow");
            }
        }
        if (reads != used.Count)
            throw PolicyException.Refused("the rewritten query would read a source the policy did not generate");
    }
}
