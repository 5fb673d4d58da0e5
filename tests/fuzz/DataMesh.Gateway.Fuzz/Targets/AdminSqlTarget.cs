using System.Text;
using DataMesh.Gateway.Sql.Admin;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Fuzz.Targets;

/// <summary>
/// The admin-SQL parser, fed a simple-query string as the server sees it: split into statements by the lexer, each
/// offered to <see cref="AdminParser"/>. The documented failure is <see cref="AdminSyntaxException"/>; its offset must
/// point into the statement (the server turns it into the error's position). Anything else is a crash.
/// </summary>
public sealed class AdminSqlTarget : IFuzzTarget
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public void Run(ReadOnlySpan<byte> input)
    {
        string sql;
        try
        {
            sql = StrictUtf8.GetString(input);
        }
        catch (DecoderFallbackException)
        {
            return; // the wire decoder refuses invalid UTF-8 before any SQL is read
        }
        if (sql.Contains('\0')) return; // a NUL ends the Query message's string on the wire

        foreach (var statement in StatementSplitter.Split(sql))
        {
            if (statement.Text.Length == 0 || !sql.Contains(statement.Text, StringComparison.Ordinal))
                throw new FuzzInvariantException("a split statement is not a piece of the query text");
            try
            {
                AdminParser.TryParse(statement, out _);
            }
            catch (AdminSyntaxException e)
            {
                if (e.Offset < 0 || e.Offset > statement.Text.Length)
                    throw new FuzzInvariantException($"syntax error offset {e.Offset} outside a statement of {statement.Text.Length} characters");
                if (string.IsNullOrWhiteSpace(e.Message))
                    throw new FuzzInvariantException("syntax error without a message");
            }
        }
    }

    public void Dispose()
    {
    }
}
