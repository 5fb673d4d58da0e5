using System.Globalization;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// The value part of SET as PostgreSQL's grammar reads it: comma-separated strings, identifiers (folded to lower case
/// unless quoted), keywords and signed numbers; and SET TIME ZONE's single value, with its own form
/// <c>INTERVAL '…' [qualifier]</c>.
/// </summary>
internal static class SetValueGrammar
{
    private static readonly string[][] Qualifiers =
    [
        [], ["YEAR"], ["MONTH"], ["DAY"], ["HOUR"], ["MINUTE"], ["SECOND"], ["YEAR", "TO", "MONTH"], ["DAY", "TO", "HOUR"],
        ["DAY", "TO", "MINUTE"], ["DAY", "TO", "SECOND"], ["HOUR", "TO", "MINUTE"], ["HOUR", "TO", "SECOND"], ["MINUTE", "TO", "SECOND"],
    ];

    /// <summary>The arguments from token <paramref name="start"/> on; <paramref name="single"/> for SET TIME ZONE, which takes one.</summary>
    public static List<SetArgument> Arguments(SqlStatement statement, IReadOnlyList<SqlToken> t, int start, bool single)
    {
        var arguments = new List<SetArgument>();
        var i = start;
        while (true)
        {
            var sign = "";
            if (i + 1 < t.Count && t[i].Text is "-" or "+" && t[i + 1].Kind == SqlTokenKind.Number) sign = t[i++].Text == "-" ? "-" : "";
            if (i >= t.Count) throw StatementException.SyntaxAt(statement, t, i);
            var token = t[i];
            arguments.Add(token.Kind switch
            {
                SqlTokenKind.String or SqlTokenKind.QuotedIdentifier => new SetArgument(token.Value, SetArgumentKind.String),
                SqlTokenKind.Word => new SetArgument(token.Value.ToLowerInvariant(), SetArgumentKind.String),
                SqlTokenKind.Number => new SetArgument(sign + token.Text, SetArgumentKind.Number),
                _ => throw StatementException.SyntaxAt(statement, t, i),
            });
            i++;
            if (i == t.Count) return arguments;
            if (t[i].Text != "," || single) throw StatementException.SyntaxAt(statement, t, i);
            i++;
        }
    }

    /// <summary>
    /// <c>SET TIME ZONE INTERVAL 'v' [qualifier]</c>: the interval's input text (a bare number counts in the
    /// qualifier's last field, as PostgreSQL's typmod makes it); null when the value is not that form. The text is read
    /// as an interval when the statement runs, by the type's input function, as PostgreSQL does (22007 without position).
    /// </summary>
    public static string? IntervalZone(SqlStatement statement, IReadOnlyList<SqlToken> t, int start)
    {
        if (start >= t.Count || !t[start].IsWord("INTERVAL")) return null;
        if (start + 1 >= t.Count || t[start + 1].Kind != SqlTokenKind.String) throw StatementException.SyntaxAt(statement, t, start + 1);
        var text = t[start + 1].Value;
        var qualifier = new List<string>();
        for (var i = start + 2; i < t.Count; i++)
        {
            var word = t[i].Kind == SqlTokenKind.Word ? t[i].Value.ToUpperInvariant() : null;
            if (word is null || !Qualifiers.Any(q => q.Length > qualifier.Count && q.Take(qualifier.Count).SequenceEqual(qualifier) && q[qualifier.Count] == word))
                throw StatementException.SyntaxAt(statement, t, i);
            qualifier.Add(word);
        }
        if (!Qualifiers.Any(q => q.SequenceEqual(qualifier))) throw StatementException.SyntaxAt(statement, t, t.Count);
        if (qualifier.Count > 0 && decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            text = text.Trim() + " " + qualifier[^1].ToLowerInvariant();
        return text;
    }
}
