namespace DataMesh.Gateway.Sql.Lexing;

public enum SqlTokenKind
{
    Word,
    QuotedIdentifier,
    String,
    Number,
    Parameter,
    Symbol,
    Semicolon,
}

/// <summary>A lexical token: kind, its text as written, its decoded value (strings unquoted) and its offset.</summary>
public readonly record struct SqlToken(SqlTokenKind Kind, string Text, string Value, int Offset)
{
    public bool IsWord(string word) => Kind == SqlTokenKind.Word && Value.Equals(word, StringComparison.OrdinalIgnoreCase);
}
