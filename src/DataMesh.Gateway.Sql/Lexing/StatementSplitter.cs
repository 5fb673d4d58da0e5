namespace DataMesh.Gateway.Sql.Lexing;

/// <summary>One statement of a simple-query string, with its tokens.</summary>
public sealed record SqlStatement(string Text, IReadOnlyList<SqlToken> Tokens)
{
    /// <summary>
    /// Where the statement ends in the query string: the offset of the semicolon that ends it, or (with
    /// <see cref="Terminated"/> false) the length of the string. A syntax error at the end points here, as PostgreSQL's
    /// "at or near ";"" and "at end of input" do.
    /// </summary>
    public int? EndOffset { get; init; }

    /// <summary>Whether a semicolon ends the statement (rather than the end of the query string).</summary>
    public bool Terminated { get; init; }

    /// <summary>The statement's leading words (up to <paramref name="count"/>, upper case), for audit lines and suggestions.</summary>
    public List<string> LeadingWords(int count) =>
        Tokens.TakeWhile(t => t.Kind == SqlTokenKind.Word).Take(count).Select(t => t.Value.ToUpperInvariant()).ToList();

    public bool StartsWith(params string[] words)
    {
        if (Tokens.Count < words.Length) return false;
        for (var i = 0; i < words.Length; i++)
            if (!Tokens[i].IsWord(words[i])) return false;
        return true;
    }
}

/// <summary>Splits a query string at top-level semicolons. Empty statements are dropped, as PostgreSQL does.</summary>
public static class StatementSplitter
{
    public static List<SqlStatement> Split(string sql)
    {
        var tokens = SqlLexer.Tokenize(sql);
        var statements = new List<SqlStatement>();
        var start = 0;
        var current = new List<SqlToken>();
        foreach (var token in tokens)
        {
            if (token.Kind != SqlTokenKind.Semicolon)
            {
                if (current.Count == 0) start = token.Offset;
                current.Add(token);
                continue;
            }
            if (current.Count > 0)
            {
                statements.Add(new SqlStatement(sql[start..token.Offset].TrimEnd(), current) { EndOffset = token.Offset, Terminated = true });
                current = [];
            }
        }
        if (current.Count > 0) statements.Add(new SqlStatement(sql[start..].TrimEnd(), current) { EndOffset = sql.Length });
        return statements;
    }
}
