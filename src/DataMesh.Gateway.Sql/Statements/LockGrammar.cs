using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Statements;

/// <summary>
/// <c>LOCK [TABLE] [ONLY] name [*] [, …] [IN lockmode MODE] [NOWAIT]</c> as PostgreSQL's grammar reads it: the lock
/// mode is one of PostgreSQL's eight, and a syntax error points where PostgreSQL's does.
/// </summary>
internal static class LockGrammar
{
    private static readonly string[][] Modes =
    [
        ["ACCESS", "SHARE"], ["ROW", "SHARE"], ["ROW", "EXCLUSIVE"], ["SHARE", "UPDATE", "EXCLUSIVE"], ["SHARE"],
        ["SHARE", "ROW", "EXCLUSIVE"], ["EXCLUSIVE"], ["ACCESS", "EXCLUSIVE"],
    ];

    public static LockTableStatement Parse(SqlStatement statement)
    {
        var t = statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        var i = 1;
        if (i < t.Count && t[i].IsWord("TABLE")) i++;
        var tables = new List<LockTarget>();
        while (true)
        {
            if (i < t.Count && t[i].IsWord("ONLY")) i++;
            if (i >= t.Count || t[i].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) throw StatementException.SyntaxAt(statement, t, i);
            string schema = "", name = CursorGrammar.Identifier(t[i]), written = t[i].Text;
            i++;
            if (i < t.Count && t[i].Text == ".")
            {
                if (i + 1 >= t.Count || t[i + 1].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
                    throw StatementException.SyntaxAt(statement, t, i + 1);
                (schema, name, written) = (name, CursorGrammar.Identifier(t[i + 1]), written + "." + t[i + 1].Text);
                i += 2;
            }
            if (i < t.Count && t[i].Text == "*") i++;
            tables.Add(new LockTarget(schema, name, written));
            if (i < t.Count && t[i].Text == ",") i++;
            else break;
        }
        var mode = "ACCESS EXCLUSIVE"; // PostgreSQL's default mode
        if (i < t.Count && t[i].IsWord("IN"))
        {
            i++;
            var words = new List<string>();
            // Each word must continue one of the modes; MODE must end one.
            while (i >= t.Count || !t[i].IsWord("MODE") || !Modes.Any(m => m.SequenceEqual(words)))
            {
                var next = i < t.Count && t[i].Kind == SqlTokenKind.Word ? t[i].Value.ToUpperInvariant() : null;
                if (next is null || !Modes.Any(m => m.Length > words.Count && m.Take(words.Count).SequenceEqual(words) && m[words.Count] == next))
                    throw StatementException.SyntaxAt(statement, t, i);
                words.Add(next);
                i++;
            }
            mode = string.Join(' ', words);
            i++;
        }
        var noWait = i < t.Count && t[i].IsWord("NOWAIT");
        if (noWait) i++;
        if (i != t.Count) throw StatementException.SyntaxAt(statement, t, i);
        return new LockTableStatement(statement, tables, mode, noWait);
    }
}
