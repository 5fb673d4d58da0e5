using System.Text.RegularExpressions;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// Turns an error DuckDB raised on a rewritten query into an error about the user's query. The engine only ever saw
/// the rewritten text, so its messages may name what the consumer must not learn: producer paths, the policy
/// subquery's alias, row-filter text or the columns a filter reads. Those messages are replaced by one that names
/// the asset; the SQLSTATE class is kept. Binder messages about the user's own names are rephrased as PostgreSQL's.
/// </summary>
public static partial class GovernedErrors
{
    public static PgErrorException Translate(PgErrorException error, RewriteResult plan)
    {
        if (error.SqlState == SqlState.QueryCanceled || error.IsFatal) return error;
        var message = error.Message;
        if (ReferencedColumn().Match(message) is { Success: true } column)
            return new PgErrorException(SqlState.UndefinedColumn, $"column \"{column.Groups[1].Value}\" does not exist", position: error.Position);
        if (Leaks(message, plan) || Leaks(error.Detail, plan) || Leaks(error.Hint, plan))
        {
            var assets = string.Join(", ", plan.Grants.Select(g => g.QualifiedName));
            var state = error.SqlState == SqlState.IoError ? SqlState.IoError : error.SqlState;
            return new PgErrorException(state, assets.Length > 0
                ? $"the query failed while reading {assets}" + Reason(error.SqlState)
                : "the query failed" + Reason(error.SqlState));
        }
        return error.Detail is null && error.Hint is null ? error : new PgErrorException(error.SqlState, message, position: error.Position);
    }

    /// <summary>True when a result column name shows the rewrite (the policy subquery's alias or source).</summary>
    public static bool NameLeaks(string name) =>
        name.Contains(GatewayPrefix, StringComparison.OrdinalIgnoreCase) || name.Contains("read_parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>The prefix of every name the gateway generates (the policy alias, the per-row wrapper, its macros).</summary>
    private const string GatewayPrefix = "__datamesh_";

    private static string Reason(string state) => state switch
    {
        SqlState.IoError => ": the asset's data could not be read",
        SqlState.InsufficientPrivilege => ": access to the asset's data was refused",
        SqlState.OutOfMemory => ": out of memory",
        _ => "",
    };

    private static bool Leaks(string? text, RewriteResult plan)
    {
        if (string.IsNullOrEmpty(text)) return false;
        if (text.Contains(GatewayPrefix, StringComparison.OrdinalIgnoreCase)
            || text.Contains("read_parquet", StringComparison.OrdinalIgnoreCase)
            || text.Contains("OFFSET 0", StringComparison.OrdinalIgnoreCase)
            || AbsolutePath().IsMatch(text))
            return true;
        foreach (var grant in plan.Grants)
        {
            if (text.Contains(grant.SourcePath, StringComparison.Ordinal) || grant.ReadPaths.Any(p => text.Contains(p, StringComparison.Ordinal))) return true;
            if (grant.QualifiedRowFilter is not { } filter) continue;
            // Any identifier the filter reads that the consumer cannot see (a hidden filter column) is a leak.
            foreach (Match word in Identifier().Matches(filter))
            {
                var name = word.Value.Trim('"');
                if (name.Length < 3 || SqlWords.Contains(name) || grant.Columns.Any(c => c.Name == name)) continue;
                if (text.Contains(name, StringComparison.OrdinalIgnoreCase)) return true;
            }
        }
        return false;
    }

    private static readonly HashSet<string> SqlWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "not", "null", "like", "ilike", "between", "true", "false", "case", "when", "then", "else", "end", "cast",
        "date", "timestamp", "interval", "varchar", "integer", "bigint", "similar", "escape", "distinct", "from",
    };

    // Something that starts like a file path ('/tmp/x', "/srv", C:\x), not a ratio such as "64.0 MiB/64.0 MiB".
    [GeneratedRegex(@"(^|[\s'""(=:])/[A-Za-z0-9._~-]|[A-Za-z]:\\|\\\\")]
    private static partial Regex AbsolutePath();

    [GeneratedRegex("^Referenced column \"(.+?)\" not found")]
    private static partial Regex ReferencedColumn();

    [GeneratedRegex("\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*")]
    private static partial Regex Identifier();
}
