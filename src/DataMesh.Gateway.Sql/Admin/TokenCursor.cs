using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// Walks one statement's tokens for the admin grammar: keyword/symbol matching and positioned syntax errors.
/// Token offsets are relative to the whole query string while errors must point into the statement text, which
/// starts at the first token, so every reported offset subtracts that first token's offset.
/// </summary>
internal sealed class TokenCursor
{
    private readonly IReadOnlyList<SqlToken> tokens;
    private readonly int baseOffset;
    private int position;

    public TokenCursor(SqlStatement statement)
    {
        tokens = statement.Tokens;
        Text = statement.Text;
        baseOffset = tokens.Count > 0 ? tokens[0].Offset : 0;
    }

    /// <summary>The statement text; offsets from <see cref="OffsetOf"/> index into it.</summary>
    public string Text { get; }

    public bool AtEnd => position >= tokens.Count;

    /// <summary>
    /// Set while reading a clause that holds secrets (account credentials): syntax errors then show string literals as
    /// <c>'…'</c>, so a misplaced secret is never echoed in an error.
    /// </summary>
    public bool HideStrings { get; set; }

    /// <summary>The token <paramref name="ahead"/> places after the current one, or null past the end.</summary>
    public SqlToken? Peek(int ahead = 0) => position + ahead < tokens.Count ? tokens[position + ahead] : null;

    /// <summary>The token consumed last, or null at the start.</summary>
    public SqlToken? Previous => position > 0 ? tokens[position - 1] : null;

    public bool IsWord(string word, int ahead = 0) => Peek(ahead) is { } t && t.IsWord(word);

    public bool IsSymbol(string symbol, int ahead = 0) =>
        Peek(ahead) is { Kind: SqlTokenKind.Symbol } t && t.Value == symbol;

    /// <summary>Consumes and returns the current token; the caller has already checked it exists.</summary>
    public SqlToken Advance() => AtEnd ? throw Unexpected("more input") : tokens[position++];

    public void Skip(int count) => position = Math.Min(tokens.Count, position + count);

    /// <summary>Consumes the rest of the statement (a query that runs to its end).</summary>
    public void SkipToEnd() => position = tokens.Count;

    public bool AcceptWord(string word)
    {
        if (!IsWord(word)) return false;
        position++;
        return true;
    }

    public SqlToken ExpectWord(string word) => IsWord(word) ? tokens[position++] : throw Unexpected(word);

    public bool AcceptSymbol(string symbol)
    {
        if (!IsSymbol(symbol)) return false;
        position++;
        return true;
    }

    public SqlToken ExpectSymbol(string symbol) => IsSymbol(symbol) ? tokens[position++] : throw Unexpected($"\"{symbol}\"");

    /// <summary>Trailing tokens are an error at the first extra one, so "DROP USER a b" points at b.</summary>
    public void ExpectEnd()
    {
        if (!AtEnd) throw ErrorAt(tokens[position], $"syntax error at or near \"{Display(tokens[position])}\": expected end of statement");
    }

    /// <summary>Offset of a token relative to the statement text.</summary>
    public int OffsetOf(SqlToken token) => token.Offset - baseOffset;

    /// <summary>Offset just past a token, relative to the statement text (the token's text is as written).</summary>
    public int EndOf(SqlToken token) => OffsetOf(token) + token.Text.Length;

    /// <summary>
    /// "expected X" at the current token, or at the end of the text when input ran out. Naming the previous
    /// token ("after TO") tells the user where the grammar lost track without quoting the whole statement.
    /// </summary>
    public AdminSyntaxException Unexpected(string expected)
    {
        // Keywords read naturally bare ("after TO"); punctuation and literals need quotes ("after \",\"").
        var after = position == 0 ? ""
            : tokens[position - 1].Kind == SqlTokenKind.Word ? $" after {Display(tokens[position - 1])}"
            : $" after \"{Display(tokens[position - 1])}\"";
        return AtEnd
            ? new AdminSyntaxException($"syntax error at end of input: expected {expected}{after}", Text.Length)
            : ErrorAt(tokens[position], $"syntax error at or near \"{Display(tokens[position])}\": expected {expected}{after}");
    }

    public AdminSyntaxException ErrorAt(SqlToken token, string message) => new(message, OffsetOf(token));

    private string Display(SqlToken token) => HideStrings && token.Kind == SqlTokenKind.String ? "'…'" : Show(token);

    /// <summary>Token text for messages, shortened so a huge string literal does not flood the error.</summary>
    public static string Show(SqlToken token) => token.Text.Length <= 40 ? token.Text : token.Text[..37] + "...";
}
