using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// <c>DECLARE name [BINARY] [ASENSITIVE | INSENSITIVE] [NO SCROLL] CURSOR [WITH | WITHOUT HOLD] FOR query</c>.
/// The query is kept as its own statement so it is governed exactly like the same SELECT sent on its own.
/// </summary>
public sealed record DeclareCursor(string Name, bool Binary, bool Hold, SqlStatement Query)
{
    public static DeclareCursor Parse(SqlStatement statement)
    {
        var t = statement.Tokens;
        if (t.Count < 2 || t[1].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) throw Syntax("DECLARE");
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
                    throw new PgErrorException(SqlState.FeatureNotSupported, "scrollable cursors are not supported by the gateway; declare it NO SCROLL");
                default: throw Syntax(t[i].Text);
            }
        }
        if (i >= t.Count) throw Syntax("DECLARE");
        i++;
        if (i + 1 < t.Count && (t[i].IsWord("WITH") || t[i].IsWord("WITHOUT")) && t[i + 1].IsWord("HOLD"))
        {
            hold = t[i].IsWord("WITH");
            i += 2;
        }
        if (i >= t.Count || !t[i].IsWord("FOR") || i + 1 >= t.Count) throw Syntax(i < t.Count ? t[i].Text : "CURSOR");
        var tokens = t.Skip(i + 1).Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        if (tokens.Count == 0) throw Syntax("FOR");
        var start = tokens[0].Offset - t[0].Offset;
        var query = statement.Text[start..].TrimEnd().TrimEnd(';').TrimEnd();
        return new DeclareCursor(name, binary, hold, new SqlStatement(query, tokens));
    }

    /// <summary>A cursor name as PostgreSQL reads it: folded to lower case unless quoted.</summary>
    public static string Identifier(SqlToken token) => token.Kind == SqlTokenKind.Word ? token.Value.ToLowerInvariant() : token.Value;

    private static PgErrorException Syntax(string near) => new(SqlState.SyntaxError, $"syntax error at or near \"{near}\"");
}

/// <summary>
/// <c>FETCH | MOVE [NEXT | FORWARD [n | ALL] | n | ALL] [FROM | IN] name</c>. Cursors only move forward (the engine
/// streams); a backward or absolute direction is refused with PostgreSQL's 55000 for a NO SCROLL cursor.
/// </summary>
public sealed record FetchCursor(string Name, long Count, bool Move)
{
    /// <summary>Count 0 means every remaining row.</summary>
    public const long All = 0;

    public static FetchCursor Parse(SqlStatement statement)
    {
        var t = statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        var move = t[0].IsWord("MOVE");
        var verb = move ? "MOVE" : "FETCH";
        if (t.Count < 2) throw Syntax(verb);
        var i = 1;
        long count = 1;
        var word = t[i].Kind == SqlTokenKind.Word ? t[i].Value.ToUpperInvariant() : "";
        switch (word)
        {
            case "NEXT": i++; break;
            case "ALL": count = All; i++; break;
            case "FORWARD":
                i++;
                if (i < t.Count && t[i].IsWord("ALL")) { count = All; i++; }
                else if (i < t.Count && t[i].Kind == SqlTokenKind.Number) count = Number(t[i++]);
                break;
            case "PRIOR" or "FIRST" or "LAST" or "ABSOLUTE" or "RELATIVE" or "BACKWARD":
                throw new PgErrorException(SqlState.ObjectNotInPrerequisiteState,
                    "cursor can only scan forward; the gateway's cursors are NO SCROLL");
            default:
                if (t[i].Kind == SqlTokenKind.Number) count = Number(t[i++]);
                else if (t[i].Text == "-") throw new PgErrorException(SqlState.ObjectNotInPrerequisiteState,
                    "cursor can only scan forward; the gateway's cursors are NO SCROLL");
                break;
        }
        if (i < t.Count && (t[i].IsWord("FROM") || t[i].IsWord("IN"))) i++;
        if (i != t.Count - 1 || t[i].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) throw Syntax(i < t.Count ? t[i].Text : verb);
        return new FetchCursor(DeclareCursor.Identifier(t[i]), count, move);
    }

    private static long Number(SqlToken token)
    {
        if (!long.TryParse(token.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            throw Syntax(token.Text);
        if (n == 0) throw new PgErrorException(SqlState.FeatureNotSupported, "FETCH 0 (re-reading the current row) is not supported by the gateway");
        return n;
    }

    private static PgErrorException Syntax(string near) => new(SqlState.SyntaxError, $"syntax error at or near \"{near}\"");
}
