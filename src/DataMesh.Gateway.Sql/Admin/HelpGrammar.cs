using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>HELP [words]: the words are a command's phrase (or its start), taken as written.</summary>
internal static class HelpGrammar
{
    public static AdminStatement Help(TokenCursor c)
    {
        if (c.AtEnd) return new Help(null, 0);
        var first = c.Peek()!.Value;
        var words = new List<string>();
        while (c.Peek() is { Kind: SqlTokenKind.Word } word)
        {
            words.Add(word.Value.ToUpperInvariant());
            c.Skip(1);
        }
        if (words.Count == 0) throw c.Unexpected("a command's keywords, such as APPROVE SUBSCRIPTION");
        return new Help(string.Join(' ', words), c.OffsetOf(first));
    }
}
