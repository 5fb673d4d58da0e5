using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Sql.Admin;

/// <summary>
/// Tracks optional clauses that may come in any order but at most once each; a repeat is reported at the
/// second clause's keyword. Clauses sharing a slot (INCLUDE/EXCLUDE COLUMNS) are mutually exclusive.
/// </summary>
internal sealed class ClauseSet(TokenCursor cursor)
{
    private readonly Dictionary<string, string> seen = new(StringComparer.Ordinal);

    /// <param name="slot">What must not repeat; clauses that exclude each other use the same slot.</param>
    /// <param name="clause">The clause as the user wrote it, for the message.</param>
    public void Claim(string slot, string clause, SqlToken keyword)
    {
        if (seen.TryGetValue(slot, out var earlier))
            throw cursor.ErrorAt(keyword, earlier == clause
                ? $"syntax error at or near \"{TokenCursor.Show(keyword)}\": {clause} specified more than once"
                : $"syntax error at or near \"{TokenCursor.Show(keyword)}\": {clause} cannot be combined with {earlier}");
        seen[slot] = clause;
    }
}
