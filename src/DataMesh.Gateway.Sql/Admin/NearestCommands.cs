using System.Collections.Frozen;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// The admin command nearest to a mistyped one (<c>DROP ASET</c> → DROP ASSET, <c>SHOW ASSETS</c> → SHOW ASSETS IN
/// PROJECT): the commands with the same first word, compared word by word by edit distance; a leading part of a
/// command's phrase counts as a match.
/// </summary>
public static class NearestCommands
{
    /// <summary>
    /// The words SQL itself puts after CREATE, DROP and ALTER: those statements belong to the engine (which refuses or
    /// runs them), never to a suggestion.
    /// </summary>
    private static readonly FrozenSet<string> SqlObjectWords = new[]
    {
        "TABLE", "VIEW", "INDEX", "SEQUENCE", "SCHEMA", "DATABASE", "FUNCTION", "PROCEDURE", "MACRO", "TYPE", "ROLE",
        "EXTENSION", "TRIGGER", "MATERIALIZED", "OR", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "SECRET", "PERSISTENT",
        "FOREIGN", "SERVER", "AGGREGATE", "CAST", "COLLATION", "CONVERSION", "EVENT", "LANGUAGE", "OPERATOR", "POLICY",
        "PUBLICATION", "RULE", "STATISTICS", "TABLESPACE", "TEXT", "TRANSFORM", "ACCESS", "DEFAULT", "OWNED", "LARGE",
        "SYSTEM", "CONSTRAINT", "GLOBAL", "LOCAL", "IF", "COLUMN", "ROUTINE", "PROPERTY", "OWNERSHIP",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> Verbs = new[] { "CREATE", "DROP", "ALTER" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A statement that starts like an admin command (CREATE, DROP or ALTER followed by a word SQL does not use there)
    /// but matches none: the syntax error naming the nearest command. Null when the statement is SQL's.
    /// </summary>
    public static AdminSyntaxException? MistypedAfterVerb(SqlStatement statement)
    {
        var t = statement.Tokens;
        if (t.Count < 2 || t[0].Kind != SqlTokenKind.Word || !Verbs.Contains(t[0].Value)) return null;
        if (t[1].Kind != SqlTokenKind.Word || SqlObjectWords.Contains(t[1].Value)) return null;
        return Mistyped(statement);
    }

    /// <summary>
    /// The syntax error for a statement whose leading words are no admin command, naming the nearest one when there is
    /// one (SHOW of an unknown setting asks this too). Points at the second word.
    /// </summary>
    public static AdminSyntaxException Mistyped(SqlStatement statement)
    {
        var words = statement.Tokens.TakeWhile(x => x.Kind == SqlTokenKind.Word).Take(4).Select(x => x.Value.ToUpperInvariant()).ToList();
        var at = statement.Tokens.Count > 1 ? statement.Tokens[1] : statement.Tokens[0];
        var offset = at.Offset - statement.Tokens[0].Offset;
        var shown = TokenCursor.Show(at);
        var nearest = Nearest(words);
        return nearest is null
            ? new AdminSyntaxException($"syntax error at or near \"{shown}\": {words[0]} {shown} is not an admin command", offset,
                "HELP lists the admin commands")
            : new AdminSyntaxException($"syntax error at or near \"{shown}\": did you mean {nearest.Phrase}?", offset,
                $"HELP {nearest.Phrase} shows its syntax; HELP lists every admin command");
    }

    /// <summary>The command whose phrase is closest to <paramref name="words"/> (upper case), or null if none is close.</summary>
    public static AdminCommand? Nearest(IReadOnlyList<string> words)
    {
        if (words.Count == 0) return null;
        AdminCommand? best = null;
        var bestCost = int.MaxValue;
        foreach (var command in AdminCommandTable.All)
        {
            if (command.Words[0] != words[0] || command.Words.Count < 2 || words.Count < 2) continue;
            // Compare as many words as both have: the user's text may stop early (SHOW ASSETS) or run on into names.
            var n = Math.Min(command.Words.Count, words.Count);
            var cost = 0;
            var length = 0;
            for (var i = 1; i < n; i++)
            {
                cost += Distance(words[i], command.Words[i]);
                length += command.Words[i].Length;
            }
            if (cost > Math.Max(2, length / 3) || cost >= bestCost) continue;
            best = command;
            bestCost = cost;
        }
        return best;
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions).</summary>
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
