using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// A statement the gateway's grammar refuses, with PostgreSQL's SQLSTATE for it and, for a syntax error, the
/// 1-based character position in the query string that PostgreSQL reports (0: none). The Sql layer knows no wire
/// protocol: the server turns this into an ErrorResponse with the position as its P field.
/// </summary>
public sealed class StatementException(string sqlState, string message, int position = 0) : Exception(message)
{
    public string SqlState { get; } = sqlState;

    /// <summary>1-based position in the query string, as PostgreSQL's error cursor; 0 when the error has none.</summary>
    public int Position { get; } = position;

    internal const string SyntaxError = "42601";
    internal const string FeatureNotSupported = "0A000";
    internal const string InsufficientPrivilege = "42501";
    internal const string ObjectNotInPrerequisiteState = "55000";
    internal const string InvalidParameterValue = "22023";

    internal static StatementException Syntax(string near) => new(SyntaxError, $"syntax error at or near \"{near}\"");

    /// <summary>
    /// PostgreSQL's syntax error at token <paramref name="index"/> of <paramref name="tokens"/> (the statement's, without
    /// semicolons): "at or near" the token, or past the last one "at or near ";"" or "at end of input", where it ends.
    /// </summary>
    internal static StatementException SyntaxAt(SqlStatement statement, IReadOnlyList<SqlToken> tokens, int index)
    {
        if (index < tokens.Count)
            return new(SyntaxError, $"syntax error at or near \"{tokens[index].Text}\"", tokens[index].Offset + 1);
        var end = statement.EndOffset ?? (statement.Tokens.Count > 0 ? statement.Tokens[0].Offset : 0) + statement.Text.Length;
        return statement.Terminated
            ? new(SyntaxError, "syntax error at or near \";\"", end + 1)
            : new(SyntaxError, "syntax error at end of input", end + 1);
    }

    internal static StatementException NotSupported(string message, int position = 0) => new(FeatureNotSupported, message, position);

    internal static StatementException Refused(string message) => new(InsufficientPrivilege, message);
}
