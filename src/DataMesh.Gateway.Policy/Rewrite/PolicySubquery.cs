using DataMesh.Gateway.Policy.Grants;

namespace DataMesh.Gateway.Policy.Rewrite;

/// <summary>
/// Builds the subquery that replaces one asset reference: the allowed columns (masked where the grant says so) from
/// the producer's Parquet source, under the grant's row predicate. Masks apply inside the subquery, so the user's
/// predicates, joins, grouping and ordering only ever see masked values.
/// </summary>
public static class PolicySubquery
{
    private const string Src = GrantSet.SourceAlias;

    /// <param name="barrier">Adds OFFSET 0, which DuckDB does not push predicates through: used when the user's query
    /// holds an expression that could reveal excluded rows through an error.</param>
    public static string Build(AssetGrant grant, string maskSecret, bool barrier)
    {
        var columns = string.Join(", ", grant.Columns.Select(c => $"{Expression(c, maskSecret)} AS {Quote(c.Name)}"));
        var sql = $"SELECT {columns} FROM read_parquet({Source(grant)}) AS {Src}";
        if (grant.QualifiedRowFilter is { } filter) sql += $" WHERE ({filter})";
        if (barrier) sql += " OFFSET 0";
        return sql;
    }

    /// <summary>The source path, or the exact list of cached files of an asset on an object store (never a glob over
    /// the cache: a file missing from it is an error, not fewer rows).</summary>
    private static string Source(AssetGrant grant) =>
        grant.Files is { } files ? "[" + string.Join(", ", files.Select(Literal)) + "]" : Literal(grant.SourcePath);

    public static string Expression(GrantColumn c, string maskSecret)
    {
        var col = $"{Src}.{Quote(c.Name)}";
        return c.Mask switch
        {
            null => col,
            // Keyed hash: joinable across grants of one domain, useless as a lookup oracle without the secret.
            "hash" => $"CASE WHEN {col} IS NULL THEN NULL ELSE sha256({Literal(maskSecret)} || CAST({col} AS VARCHAR)) END",
            "redact" => $"CASE WHEN {col} IS NULL THEN NULL ELSE '****' END",
            "null" => $"CAST(NULL AS {c.Type})",
            "year" => $"CAST(date_trunc('year', {col}) AS {c.Type})",
            "partial" => $"CASE WHEN {col} IS NULL THEN NULL ELSE left({col}, {c.KeepFirst}) || repeat('*', greatest(length({col}) - {c.KeepFirst + c.KeepLast}, 0)) || "
                + (c.KeepLast > 0 ? $"right({col}, least({c.KeepLast}, greatest(length({col}) - {c.KeepFirst}, 0)))" : "''") + " END",
            _ => throw PolicyException.Refused($"unknown mask on column \"{c.Name}\""),
        };
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
