using System.Text;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// The text of an admin statement as the audit log keeps it: the string literal after PASSWORD (CREATE USER, ALTER
/// USER) and the value of a secret account option (<c>secret_access_key = '…'</c>, <c>session_token = '…'</c>) are
/// replaced by <c>'********'</c>. In an account command (ASSOCIATE ACCOUNT, ALTER ACCOUNT) every option value is
/// replaced except those known to be public, so a secret under a misspelled option name is not kept either.
/// Secrets never reach the log.
/// </summary>
public static class SecretRedaction
{
    private static readonly string[] SecretOptions = ["secret_access_key", "session_token"];
    private static readonly string[] PublicAccountOptions = ["endpoint", "region", "url_style", "access_key_id", "credentials"];

    public const string Mask = "'********'";

    public static string Redact(SqlStatement statement)
    {
        var text = statement.Text;
        var tokens = statement.Tokens;
        var start = tokens.Count > 0 ? tokens[0].Offset : 0;
        var account = tokens.Count > 1 && (tokens[0].IsWord("ASSOCIATE") || tokens[0].IsWord("ALTER")) && tokens[1].IsWord("ACCOUNT");
        StringBuilder? sb = null;
        var last = 0;
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != SqlTokenKind.String || !(IsSecret(tokens, i) || (account && IsPrivateOption(tokens, i)))) continue;
            var at = tokens[i].Offset - start;
            (sb ??= new StringBuilder()).Append(text, last, at - last).Append(Mask);
            last = at + tokens[i].Text.Length;
        }
        return sb is null ? text : sb.Append(text, last, text.Length - last).ToString();
    }

    /// <summary>The value of an option (<c>name = 'value'</c>) whose name is not a known public account option.</summary>
    private static bool IsPrivateOption(IReadOnlyList<SqlToken> tokens, int i) =>
        i >= 2 && tokens[i - 1].Kind == SqlTokenKind.Symbol && tokens[i - 1].Value == "="
        && !(tokens[i - 2].Kind == SqlTokenKind.Word && PublicAccountOptions.Any(o => tokens[i - 2].IsWord(o)));

    private static bool IsSecret(IReadOnlyList<SqlToken> tokens, int i) =>
        tokens[i - 1].IsWord("PASSWORD")
        || (i >= 2 && tokens[i - 1].Kind == SqlTokenKind.Symbol && tokens[i - 1].Value == "="
            && SecretOptions.Any(o => tokens[i - 2].IsWord(o) || (tokens[i - 2].Kind == SqlTokenKind.QuotedIdentifier && tokens[i - 2].Value == o)));
}
