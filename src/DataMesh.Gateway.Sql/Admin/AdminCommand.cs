namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// One admin command: the leading keywords that recognise it, how its rest is parsed, its syntax as documented and a
/// one-line summary. The parser, HELP and the nearest-command suggestion read this one table, and a test checks that
/// docs/ADMIN-SQL.md shows every syntax exactly as written here, so the grammar's description has a single source.
/// </summary>
public sealed class AdminCommand
{
    internal AdminCommand(string phrase, Func<TokenCursor, AdminStatement> parse, string syntax, string summary)
    {
        Words = phrase.Split(' ');
        Parse = parse;
        Syntax = syntax;
        Summary = summary;
    }

    /// <summary>The leading keywords, upper case ("APPROVE", "SUBSCRIPTION").</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The keywords as one phrase: "APPROVE SUBSCRIPTION".</summary>
    public string Phrase => string.Join(' ', Words);

    /// <summary>Every form of the command, one per line (continuation lines indented), as docs/ADMIN-SQL.md shows them.</summary>
    public string Syntax { get; }

    public string Summary { get; }

    internal Func<TokenCursor, AdminStatement> Parse { get; }
}
