using System.Diagnostics.CodeAnalysis;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// Recognises admin commands by their leading keywords (<see cref="AdminCommandTable"/>) and parses them into
/// <see cref="AdminStatement"/> records. Anything else (SELECT, SET, SHOW search_path, CREATE TABLE, DESCRIBE tbl...)
/// is left for the engine, except a word after CREATE, DROP or ALTER that is neither an admin command nor SQL's: that is
/// a mistyped admin command, answered with the nearest one (42601).
/// </summary>
public static class AdminParser
{
    // Leading phrases are matched in full, longest first: "SHOW MEMBERS" alone is not ours, because DuckDB's "SHOW tbl"
    // describes a table that may well be called members, and REQUEST SUBSCRIPTION CHANGE is tried before REQUEST
    // SUBSCRIPTION. A project may be called "profile": the PROJECT PROFILE commands recognise that form themselves. The
    // one-word listings (SHOW USERS, SHOW DOMAIN…) do take over DuckDB's SHOW of a table with that name; SHOW "domain"
    // or DESCRIBE domain still reaches the engine, because only unquoted words match.
    private static readonly AdminCommand[] ByLength = [.. AdminCommandTable.All.OrderByDescending(c => c.Words.Count)];

    /// <summary>Every admin command with its syntax and summary, in HELP's order.</summary>
    public static IReadOnlyList<AdminCommand> Commands => AdminCommandTable.All;

    /// <summary>
    /// Returns true when the statement is an admin command (recognised by its leading keywords), with the parsed
    /// record; false when it is not an admin command at all. Throws <see cref="AdminSyntaxException"/> when it is
    /// an admin command but malformed, with the offset (relative to <see cref="SqlStatement.Text"/>) of the
    /// offending token, or the text's length when something is missing at the end.
    /// </summary>
    public static bool TryParse(SqlStatement statement, [NotNullWhen(true)] out AdminStatement? result)
    {
        ArgumentNullException.ThrowIfNull(statement);
        foreach (var command in ByLength)
        {
            if (!statement.StartsWith([.. command.Words])) continue;
            var cursor = new TokenCursor(statement);
            cursor.Skip(command.Words.Count);
            result = command.Parse(cursor);
            cursor.ExpectEnd();
            return true;
        }
        if (NearestCommands.MistypedAfterVerb(statement) is { } mistake) throw mistake;
        result = null;
        return false;
    }
}
