using System.Text;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Portal.Data;

/// <summary>A column's mask as chosen in the approval form.</summary>
public sealed class MaskInput
{
    public string Column { get; set; } = "";

    /// <summary>none, hash, redact, null, year or partial.</summary>
    public string Kind { get; set; } = "none";

    public int KeepFirst { get; set; }
    public int KeepLast { get; set; }
}

/// <summary>
/// The approval form's controls, spelled as the <c>APPROVE SUBSCRIPTION</c> statement an owner would type, so the
/// approval (and its preview) go through the wire's parser and the command's own checks: nothing is validated here
/// that the command validates. What is checked here is only that the row filter is one expression (balanced
/// parentheses, no statement separator), so no form field can end the filter early and add a clause or a statement.
/// </summary>
public sealed class ApprovalForm
{
    public static readonly string[] MaskKinds = ["none", "hash", "redact", "null", "year", "partial"];

    public string? RowFilter { get; set; }

    /// <summary>all, include or exclude.</summary>
    public string ColumnMode { get; set; } = "all";

    /// <summary>The columns ticked for INCLUDE or EXCLUDE COLUMNS.</summary>
    public List<string> Columns { get; set; } = [];

    public List<MaskInput> Masks { get; set; } = [];

    /// <summary>none, at (a date or timestamp) or in (an interval).</summary>
    public string ExpiryMode { get; set; } = "none";

    public string? ExpiresAt { get; set; }
    public string? ExpiresIn { get; set; }
    public string? Comment { get; set; }

    /// <summary>The statement, or a 42601 error when the row filter is not one balanced expression.</summary>
    public string ToSql(long subscriptionId)
    {
        var sql = new StringBuilder("APPROVE SUBSCRIPTION ").Append(subscriptionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (ColumnMode is "include" or "exclude")
            sql.Append(ColumnMode == "include" ? " INCLUDE COLUMNS (" : " EXCLUDE COLUMNS (")
                .Append(string.Join(", ", Columns.Select(SqlText.Name))).Append(')');
        var masks = Masks.Where(m => m.Kind != "none" && m.Column.Length > 0).ToList();
        if (masks.Count > 0)
            sql.Append(" MASK COLUMNS (").Append(string.Join(", ", masks.Select(Mask))).Append(')');
        if (ExpiryMode == "at" && !string.IsNullOrWhiteSpace(ExpiresAt)) sql.Append(" EXPIRES ").Append(SqlText.Literal(ExpiresAt.Trim()));
        if (ExpiryMode == "in" && !string.IsNullOrWhiteSpace(ExpiresIn)) sql.Append(" EXPIRES IN INTERVAL ").Append(SqlText.Literal(ExpiresIn.Trim()));
        if (!string.IsNullOrWhiteSpace(Comment)) sql.Append(" COMMENT ").Append(SqlText.Literal(Comment.Trim()));
        // Last, and closed on a line of its own: an unterminated string or comment in the filter can then only swallow
        // the closing parenthesis (a syntax error), never another clause; a trailing -- comment ends at the newline.
        if (!string.IsNullOrWhiteSpace(RowFilter))
        {
            RequireOneExpression(RowFilter);
            sql.Append(" WITH ROW FILTER (").Append(RowFilter.Trim()).Append("\n)");
        }
        return sql.ToString();
    }

    private static string Mask(MaskInput m)
    {
        var kind = MaskKinds.Contains(m.Kind, StringComparer.Ordinal) ? m.Kind.ToUpperInvariant()
            : throw new PgErrorException(SqlState.SyntaxError, $"unknown mask \"{m.Kind}\"");
        var partial = kind == "PARTIAL"
            ? FormattableString.Invariant($"({Math.Max(0, m.KeepFirst)}, {Math.Max(0, m.KeepLast)})") : "";
        return $"{SqlText.Name(m.Column)} USING {kind}{partial}";
    }

    private static void RequireOneExpression(string filter)
    {
        var depth = 0;
        foreach (var token in SqlLexer.Tokenize(filter))
        {
            if (token.Kind == SqlTokenKind.Semicolon) throw Invalid("a row filter is one expression: it cannot contain \";\"");
            if (token is { Kind: SqlTokenKind.Symbol, Value: "(" }) depth++;
            else if (token is { Kind: SqlTokenKind.Symbol, Value: ")" } && --depth < 0) break;
        }
        if (depth != 0) throw Invalid("the row filter's parentheses do not balance");
    }

    private static PgErrorException Invalid(string message) => new(SqlState.SyntaxError, "invalid row filter: " + message);
}
