using System.Text;

namespace DataMesh.Gateway.Sql.Lexing;

/// <summary>
/// A PostgreSQL-compatible lexer: strings ('' and E'' escapes), quoted identifiers, dollar quotes,
/// line and nested block comments, numbers, $n parameters and symbols. It finds statement boundaries and
/// reads the gateway's own session statements. It does not interpret queries: the engine's parser does that.
/// </summary>
public static class SqlLexer
{
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && Peek(sql, i + 1) == '-')
            {
                while (i < sql.Length && sql[i] != '\n') i++;
                continue;
            }
            if (c == '/' && Peek(sql, i + 1) == '*')
            {
                i = SkipBlockComment(sql, i);
                continue;
            }
            var start = i;
            if (c == ';')
            {
                tokens.Add(new SqlToken(SqlTokenKind.Semicolon, ";", ";", i++));
            }
            else if (c == '\'' || ((c is 'E' or 'e') && Peek(sql, i + 1) == '\''))
            {
                var escapes = c != '\'';
                if (escapes) i++;
                var value = ReadString(sql, ref i, escapes);
                tokens.Add(new SqlToken(SqlTokenKind.String, sql[start..i], value, start));
            }
            else if (c == '"')
            {
                var value = ReadQuotedIdentifier(sql, ref i);
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, sql[start..i], value, start));
            }
            else if (c == '$' && char.IsAsciiDigit(Peek(sql, i + 1)))
            {
                i++;
                while (i < sql.Length && char.IsAsciiDigit(sql[i])) i++;
                tokens.Add(new SqlToken(SqlTokenKind.Parameter, sql[start..i], sql[(start + 1)..i], start));
            }
            else if (c == '$' && TryReadDollarQuote(sql, ref i, out var dollarValue))
            {
                tokens.Add(new SqlToken(SqlTokenKind.String, sql[start..i], dollarValue, start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(sql, i + 1))))
            {
                while (i < sql.Length && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] == '.' || sql[i] == '_'
                    || ((sql[i] is '+' or '-') && sql[i - 1] is 'e' or 'E'))) i++;
                tokens.Add(new SqlToken(SqlTokenKind.Number, sql[start..i], sql[start..i], start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$')) i++;
                tokens.Add(new SqlToken(SqlTokenKind.Word, sql[start..i], sql[start..i], start));
            }
            else
            {
                i++;
                tokens.Add(new SqlToken(SqlTokenKind.Symbol, sql[start..i], sql[start..i], start));
            }
        }
        return tokens;
    }

    private static char Peek(string s, int i) => i < s.Length ? s[i] : '\0';

    private static int SkipBlockComment(string sql, int i)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && Peek(sql, i + 1) == '*') { depth++; i += 2; }
            else if (sql[i] == '*' && Peek(sql, i + 1) == '/') { depth--; i += 2; if (depth == 0) return i; }
            else i++;
        }
        return i; // unterminated: the engine reports the syntax error
    }

    private static string ReadString(string sql, ref int i, bool escapes)
    {
        var sb = new StringBuilder();
        i++; // opening quote
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\'' && Peek(sql, i + 1) == '\'') { sb.Append('\''); i += 2; continue; }
            if (c == '\'') { i++; return sb.ToString(); }
            if (escapes && c == '\\' && i + 1 < sql.Length)
            {
                var e = sql[i + 1];
                sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', _ => e });
                i += 2;
                continue;
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    private static string ReadQuotedIdentifier(string sql, ref int i)
    {
        var sb = new StringBuilder();
        i++;
        while (i < sql.Length)
        {
            if (sql[i] == '"' && Peek(sql, i + 1) == '"') { sb.Append('"'); i += 2; continue; }
            if (sql[i] == '"') { i++; return sb.ToString(); }
            sb.Append(sql[i++]);
        }
        return sb.ToString();
    }

    private static bool TryReadDollarQuote(string sql, ref int i, out string value)
    {
        value = "";
        var tagEnd = i + 1;
        while (tagEnd < sql.Length && (char.IsLetterOrDigit(sql[tagEnd]) || sql[tagEnd] == '_')) tagEnd++;
        if (tagEnd >= sql.Length || sql[tagEnd] != '$') return false;
        var tag = sql[i..(tagEnd + 1)];
        var close = sql.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
        if (close < 0)
        {
            value = sql[(tagEnd + 1)..];
            i = sql.Length;
            return true;
        }
        value = sql[(tagEnd + 1)..close];
        i = close + tag.Length;
        return true;
    }
}
