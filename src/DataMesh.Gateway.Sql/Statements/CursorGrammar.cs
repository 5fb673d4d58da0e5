using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// DECLARE, FETCH, MOVE and CLOSE. Cursors only move forward (the engine streams): a backward or absolute direction
/// is refused with PostgreSQL's 55000 for a NO SCROLL cursor, SCROLL with 0A000.
/// </summary>
internal static class CursorGrammar
{
    public static DeclareCursorStatement Declare(SqlStatement statement)
    {
        var t = statement.Tokens;
        if (t.Count < 2 || t[1].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) throw StatementException.Syntax("DECLARE");
        var name = Identifier(t[1]);
        bool binary = false, hold = false;
        var i = 2;
        for (; i < t.Count && !t[i].IsWord("CURSOR"); i++)
        {
            switch (t[i].Value.ToUpperInvariant())
            {
                case "BINARY": binary = true; break;
                case "ASENSITIVE" or "INSENSITIVE": break; // a gateway cursor never sees later changes anyway
                case "NO" when i + 1 < t.Count && t[i + 1].IsWord("SCROLL"): i++; break;
                case "SCROLL":
                    throw StatementException.NotSupported("scrollable cursors are not supported by the gateway; declare it NO SCROLL");
                default: throw StatementException.Syntax(t[i].Text);
            }
        }
        if (i >= t.Count) throw StatementException.Syntax("DECLARE");
        i++;
        if (i + 1 < t.Count && (t[i].IsWord("WITH") || t[i].IsWord("WITHOUT")) && t[i + 1].IsWord("HOLD"))
        {
            hold = t[i].IsWord("WITH");
            i += 2;
        }
        if (i >= t.Count || !t[i].IsWord("FOR") || i + 1 >= t.Count) throw StatementException.Syntax(i < t.Count ? t[i].Text : "CURSOR");
        var tokens = t.Skip(i + 1).Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        if (tokens.Count == 0) throw StatementException.Syntax("FOR");
        var start = tokens[0].Offset - t[0].Offset;
        var text = statement.Text[start..].TrimEnd().TrimEnd(';').TrimEnd();
        return new DeclareCursorStatement(statement, name, binary, hold, CursorQuery(new SqlStatement(text, tokens)));
    }

    /// <summary>Only a query may be a cursor's query: <c>DECLARE c CURSOR FOR DELETE …</c> is refused like DELETE itself.</summary>
    private static QueryStatement CursorQuery(SqlStatement query)
    {
        var first = query.Tokens[0];
        if (first.Kind != SqlTokenKind.Word || !QueryGrammar.IsQueryKeyword(first.Value) || first.IsWord("DESCRIBE") || first.IsWord("SUMMARIZE"))
        {
            QueryGrammar.RequireQueryKeyword(query);
            throw new StatementException(StatementException.SyntaxError,
                $"syntax error at or near \"{first.Text}\": a cursor's query must be a SELECT, WITH, VALUES or TABLE");
        }
        if (SetConfigGrammar.TryParse(query) is not null)
            throw new StatementException(StatementException.SyntaxError, "a cursor's query must be a SELECT, WITH, VALUES or TABLE");
        return new QueryStatement(query);
    }

    public static FetchStatement Fetch(SqlStatement statement)
    {
        var t = statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        var move = t[0].IsWord("MOVE");
        var verb = move ? "MOVE" : "FETCH";
        if (t.Count < 2) throw StatementException.Syntax(verb);
        var i = 1;
        long count = 1;
        var word = t[i].Kind == SqlTokenKind.Word ? t[i].Value.ToUpperInvariant() : "";
        switch (word)
        {
            case "NEXT": i++; break;
            case "ALL": count = FetchStatement.All; i++; break;
            case "FORWARD":
                i++;
                if (i < t.Count && t[i].IsWord("ALL")) { count = FetchStatement.All; i++; }
                else if (i < t.Count && t[i].Kind == SqlTokenKind.Number) count = Number(t[i++]);
                break;
            case "PRIOR" or "FIRST" or "LAST" or "ABSOLUTE" or "RELATIVE" or "BACKWARD":
                throw ForwardOnly();
            default:
                if (t[i].Kind == SqlTokenKind.Number) count = Number(t[i++]);
                else if (t[i].Text == "-") throw ForwardOnly();
                break;
        }
        if (i < t.Count && (t[i].IsWord("FROM") || t[i].IsWord("IN"))) i++;
        if (i != t.Count - 1 || t[i].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
            throw StatementException.Syntax(i < t.Count ? t[i].Text : verb);
        return new FetchStatement(statement, Identifier(t[i]), count, move);
    }

    /// <summary>CLOSE name | CLOSE ALL.</summary>
    public static CloseCursorStatement Close(SqlStatement statement)
    {
        var t = statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        if (t.Count == 2 && t[1].IsWord("ALL")) return new CloseCursorStatement(statement, null);
        if (t.Count == 2 && t[1].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier) return new CloseCursorStatement(statement, Identifier(t[1]));
        throw StatementException.Syntax(t.Count > 2 ? t[2].Text : "CLOSE");
    }

    /// <summary>A cursor or savepoint name as PostgreSQL reads it: folded to lower case unless quoted.</summary>
    public static string Identifier(SqlToken token) => token.Kind == SqlTokenKind.Word ? token.Value.ToLowerInvariant() : token.Value;

    private static long Number(SqlToken token)
    {
        if (!long.TryParse(token.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            throw StatementException.Syntax(token.Text);
        if (n == 0) throw StatementException.NotSupported("FETCH 0 (re-reading the current row) is not supported by the gateway");
        return n;
    }

    private static StatementException ForwardOnly() => new(StatementException.ObjectNotInPrerequisiteState,
        "cursor can only scan forward; the gateway's cursors are NO SCROLL");
}
