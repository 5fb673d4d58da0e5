namespace DataMesh.Gateway.Sql.Lexing;

/// <summary>One statement of a simple-query string, with its tokens.</summary>
public sealed record SqlStatement(string Text, IReadOnlyList<SqlToken> Tokens)
{
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
                statements.Add(new SqlStatement(sql[start..token.Offset].TrimEnd(), current));
                current = [];
            }
        }
        if (current.Count > 0) statements.Add(new SqlStatement(sql[start..].TrimEnd(), current));
        return statements;
    }
}
