using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types.Codecs;
using DataMesh.Gateway.Protocol.Types.Input;
using DataMesh.Gateway.Server.Sessions.Settings;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>
/// The value part of SET as PostgreSQL's grammar reads it: comma-separated strings, identifiers (folded to lower case
/// unless quoted), keywords and signed numbers; and SET TIME ZONE's own forms, <c>LOCAL</c>/<c>DEFAULT</c> and
/// <c>INTERVAL '…' [HOUR TO MINUTE]</c>, which becomes <c>INTERVAL '…'</c> as PostgreSQL flattens it.
/// </summary>
internal static class SetValueTokens
{
    public static List<SetArgument> Arguments(IReadOnlyList<SqlToken> t, int start)
    {
        var arguments = new List<SetArgument>();
        var i = start;
        while (i < t.Count)
        {
            var sign = "";
            if (t[i].Text is "-" or "+" && i + 1 < t.Count && t[i + 1].Kind == SqlTokenKind.Number)
                sign = t[i++].Text == "-" ? "-" : "";
            var token = t[i++];
            arguments.Add(token.Kind switch
            {
                SqlTokenKind.String or SqlTokenKind.QuotedIdentifier => new SetArgument(token.Value, SetArgumentKind.String),
                SqlTokenKind.Word => new SetArgument(token.Value.ToLowerInvariant(), SetArgumentKind.String),
                SqlTokenKind.Number => new SetArgument(sign + token.Text, SetArgumentKind.Number),
                _ => throw Syntax(token.Text),
            });
            if (i < t.Count && t[i].Text != ",") throw Syntax(t[i].Text);
            if (i < t.Count && ++i == t.Count) throw Syntax(",");
        }
        return arguments;
    }

    /// <summary>
    /// <c>SET TIME ZONE INTERVAL 'v' [qualifier]</c>: the interval read (a bare number counts in the qualifier's last
    /// field, as PostgreSQL's typmod makes it) and written back as <c>INTERVAL '…'</c>; null when it is not that form.
    /// </summary>
    public static string? IntervalZone(IReadOnlyList<SqlToken> t, int start)
    {
        if (start + 1 >= t.Count || !t[start].IsWord("INTERVAL") || t[start + 1].Kind != SqlTokenKind.String) return null;
        var text = t[start + 1].Value;
        var qualifier = t.Skip(start + 2).Select(x => x.Kind == SqlTokenKind.Word ? x.Value.ToUpperInvariant() : x.Text).ToList();
        string[][] allowed = [[], ["HOUR"], ["MINUTE"], ["HOUR", "TO", "MINUTE"], ["HOUR", "TO", "SECOND"], ["MINUTE", "TO", "SECOND"], ["SECOND"], ["DAY"], ["DAY", "TO", "HOUR"], ["DAY", "TO", "MINUTE"], ["DAY", "TO", "SECOND"], ["YEAR"], ["MONTH"], ["YEAR", "TO", "MONTH"]];
        if (!allowed.Any(a => a.SequenceEqual(qualifier))) throw Syntax(qualifier.FirstOrDefault() ?? text);
        if (qualifier.Count > 0 && decimal.TryParse(text.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            text = text.Trim() + " " + qualifier[^1].ToLowerInvariant();
        return $"INTERVAL '{IntervalText.Format(IntervalInput.Parse(text), IntervalStyle.Postgres)}'";
    }

    private static PgErrorException Syntax(string near) => new(SqlState.SyntaxError, $"syntax error at or near \"{near}\"");
}
