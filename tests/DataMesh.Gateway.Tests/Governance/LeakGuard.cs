using System.Text.RegularExpressions;
using Npgsql;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// What error and notice text must never show a consumer: producer paths, the rewrite's own names, the filter text,
/// the hidden column, and "LINE 1:" snippets (which would quote the rewritten SQL). A fragment the consumer typed
/// itself may be echoed back (<c>column "customer_email" does not exist</c> reveals nothing the user did not write).
/// </summary>
public sealed partial class LeakGuard(string dataDirectory)
{
    private IEnumerable<string> Forbidden()
    {
        yield return dataDirectory;
        yield return Path.GetFullPath(dataDirectory);
        yield return "acct_marketing";
        yield return "mkt_sls_table.parquet";
        yield return "sales/*.parquet";
        yield return "read_parquet";
        yield return "parquet_scan";
        yield return "__datamesh";
        yield return "customer_email";
        yield return "datamesh-tests";
    }

    /// <summary>Every text field of the error (message, detail, hint, where, internal query, …).</summary>
    public void AssertClean(PostgresException e, string userSql)
    {
        var fields = new[]
        {
            e.MessageText, e.Detail, e.Hint, e.Where, e.InternalQuery, e.SchemaName, e.TableName, e.ColumnName,
            e.DataTypeName, e.ConstraintName, e.Routine, e.File,
        };
        foreach (var text in fields) AssertClean(text, userSql, $"error {e.SqlState}");
    }

    public void AssertClean(IEnumerable<PostgresNotice> notices, string userSql)
    {
        foreach (var n in notices)
            foreach (var text in new[] { n.MessageText, n.Detail, n.Hint, n.Where, n.InternalQuery })
                AssertClean(text, userSql, $"notice {n.SqlState}");
    }

    public void AssertClean(string? text, string userSql, string what)
    {
        if (string.IsNullOrEmpty(text)) return;
        foreach (var fragment in Forbidden())
        {
            if (userSql.Contains(fragment, StringComparison.OrdinalIgnoreCase)) continue;
            Assert.False(text.Contains(fragment, StringComparison.OrdinalIgnoreCase),
                $"{what} leaks \"{fragment}\" for query [{userSql}]: {text}");
        }
        Assert.False(text.Contains("LINE 1:", StringComparison.Ordinal), $"{what} quotes SQL for query [{userSql}]: {text}");
        if (!FilterText().IsMatch(userSql))
            Assert.False(FilterText().IsMatch(text), $"{what} leaks the row filter for query [{userSql}]: {text}");
    }

    /// <summary>The demo grant's row filter, however the rewrite qualifies or quotes it.</summary>
    [GeneratedRegex("""region"?\s*\)?\s*=\s*'Europe'""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FilterText();
}
