namespace DataMesh.Gateway.Sql.Ast;

/// <summary>
/// Finds the extent of a table name in the original text from the offset DuckDB gives (its first char): one to three
/// parts separated by dots (whitespace and comments allowed around a dot), each an unquoted identifier, a quoted
/// identifier ("" doubles a quote) or, for a single part, a string literal ('…', E'…', $tag$…$tag$) naming a file.
/// The span ends after the last part, so it never covers the alias.
/// </summary>
public static class TableNameLexer
{
    /// <summary>The span of the name starting at <paramref name="start"/>, checked against the parsed parts.</summary>
    /// <exception cref="SqlAstException">The text does not spell exactly that name there.</exception>
    public static TextSpan Measure(string sql, int start, string catalog, string schema, string table)
    {
        var parts = new List<(string Value, bool IsString)>();
        var i = start;
        var end = start;
        while (true)
        {
            if (!TryReadPart(sql, ref i, out var value, out var isString))
                throw Mismatch(sql, start, catalog, schema, table, "no identifier at the reported location");
            parts.Add((value, isString));
            end = i;
            var j = SkipTrivia(sql, i);
            if (j < sql.Length && sql[j] == '.' && !isString && parts.Count < 3)
            {
                i = SkipTrivia(sql, j + 1);
                continue;
            }
            break;
        }

        string[] expected = catalog.Length > 0 ? [catalog, schema, table]
            : schema.Length > 0 ? [schema, table] : [table];
        if (parts.Count != expected.Length || (parts.Count > 1 && parts.Any(p => p.IsString)))
            throw Mismatch(sql, start, catalog, schema, table, $"the text has {parts.Count} name part(s)");
        for (var k = 0; k < expected.Length; k++)
            if (!string.Equals(parts[k].Value, expected[k], StringComparison.Ordinal))
                throw Mismatch(sql, start, catalog, schema, table, $"part {k + 1} reads '{parts[k].Value}'");
        return new TextSpan(start, end - start);
    }

    private static SqlAstException Mismatch(string sql, int start, string catalog, string schema, string table, string why)
    {
        var name = string.Join('.', new[] { catalog, schema, table }.Where(p => p.Length > 0));
        return new SqlAstException($"table reference '{name}' does not match the query text at offset {start}: {why}", start);
    }

    private static bool TryReadPart(string sql, ref int i, out string value, out bool isString)
    {
        value = "";
        isString = false;
        if (i >= sql.Length) return false;
        var c = sql[i];
        if (c == '"') return TryReadQuoted(sql, ref i, '"', out value);
        if (c == '\'')
        {
            isString = true;
            return TryReadQuoted(sql, ref i, '\'', out value);
        }
        if (c is 'E' or 'e' && i + 1 < sql.Length && sql[i + 1] == '\'')
        {
            isString = true;
            return TryReadEscapeString(sql, ref i, out value);
        }
        if (c == '$')
        {
            isString = true;
            return TryReadDollarQuoted(sql, ref i, out value);
        }
        if (!IsIdentStart(c)) return false;
        var begin = i;
        while (i < sql.Length && IsIdentPart(sql[i])) i++;
        value = sql[begin..i];
        return true;
    }

    // DuckDB keeps the case of unquoted identifiers (it matches them case-insensitively later).
    private static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private static bool IsIdentPart(char c) => IsIdentStart(c) || char.IsAsciiDigit(c) || c == '$';

    private static bool TryReadQuoted(string sql, ref int i, char quote, out string value)
    {
        var sb = new System.Text.StringBuilder();
        var j = i + 1;
        while (j < sql.Length)
        {
            if (sql[j] == quote)
            {
                if (j + 1 < sql.Length && sql[j + 1] == quote) { sb.Append(quote); j += 2; continue; }
                i = j + 1;
                value = sb.ToString();
                return true;
            }
            sb.Append(sql[j++]);
        }
        value = "";
        return false;
    }

    private static bool TryReadEscapeString(string sql, ref int i, out string value)
    {
        var sb = new System.Text.StringBuilder();
        var j = i + 2;
        while (j < sql.Length)
        {
            var c = sql[j];
            if (c == '\\')
            {
                if (j + 1 >= sql.Length) break;
                var n = sql[j + 1];
                // Only escapes whose meaning is certain; octal, hex and unicode escapes fail the name check.
                char? decoded = n switch
                {
                    'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f',
                    _ when !char.IsAsciiLetterOrDigit(n) => n,
                    _ => null,
                };
                if (decoded is null) break;
                sb.Append(decoded.Value);
                j += 2;
                continue;
            }
            if (c == '\'')
            {
                if (j + 1 < sql.Length && sql[j + 1] == '\'') { sb.Append('\''); j += 2; continue; }
                i = j + 1;
                value = sb.ToString();
                return true;
            }
            sb.Append(c);
            j++;
        }
        value = "";
        return false;
    }

    private static bool TryReadDollarQuoted(string sql, ref int i, out string value)
    {
        value = "";
        var j = i + 1;
        while (j < sql.Length && sql[j] != '$')
        {
            if (!(char.IsAsciiLetterOrDigit(sql[j]) || sql[j] == '_' || sql[j] >= 0x80)) return false;
            j++;
        }
        if (j >= sql.Length) return false;
        var tag = sql[i..(j + 1)];
        var close = sql.IndexOf(tag, j + 1, StringComparison.Ordinal);
        if (close < 0) return false;
        value = sql[(j + 1)..close];
        i = close + tag.Length;
        return true;
    }

    /// <summary>Skips whitespace, -- line comments and nested /* block comments */.</summary>
    private static int SkipTrivia(string sql, int i)
    {
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i])) { i++; continue; }
            if (sql[i] == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n') i++;
                continue;
            }
            if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var depth = 1;
                i += 2;
                while (i < sql.Length && depth > 0)
                {
                    if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*') { depth++; i += 2; }
                    else if (sql[i] == '*' && i + 1 < sql.Length && sql[i + 1] == '/') { depth--; i += 2; }
                    else i++;
                }
                continue;
            }
            break;
        }
        return i;
    }
}
