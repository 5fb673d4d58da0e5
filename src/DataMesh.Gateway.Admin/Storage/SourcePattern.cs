namespace DataMesh.Gateway.Admin.Storage;

/// <summary>
/// An asset's source as a producer writes it, relative to the project's storage prefix: a file
/// (<c>sales/2024.parquet</c>), a directory (<c>sales</c>: its *.parquet files) or a pattern in the file name
/// (<c>sales/*.parquet</c>). Wildcards (<c>*</c>, <c>?</c>) may appear in the last segment only, so the directory the
/// files come from is always a literal path that can be checked; <c>**</c>, brackets and braces are refused (DuckDB
/// reads <c>[…]</c> as a pattern too, and a pattern over directories could match another prefix's files).
/// </summary>
internal sealed record SourcePattern(string Text, IReadOnlyList<string> Directory, string? Leaf, bool LeafIsPattern)
{
    private static readonly char[] Wildcards = ['*', '?'];
    private static readonly char[] Refused = ['[', ']', '{', '}'];

    /// <summary>The literal part: the whole path when there is no wildcard, else the directory before the pattern.</summary>
    public IEnumerable<string> LiteralSegments => LeafIsPattern ? Directory : Leaf is null ? Directory : Directory.Append(Leaf);

    public static SourcePattern Parse(string source, string project)
    {
        var what = $"asset source \"{source}\"";
        var parts = PathText.Segments(source, what, $"the storage of project \"{project}\"");
        if (source.IndexOfAny(Refused) >= 0)
            throw PathText.Escape(what, "brackets and braces are not allowed (DuckDB would read them as a pattern); use * or ? in the file name");
        for (var i = 0; i < parts.Count - 1; i++)
            if (parts[i].IndexOfAny(Wildcards) >= 0)
                throw PathText.Escape(what, "wildcards may appear in the file name only, not in directories");
        var leaf = parts[^1];
        if (leaf.Contains("**", StringComparison.Ordinal)) throw PathText.Escape(what, "recursive wildcards (**) are not allowed");
        return new SourcePattern(source, parts[..^1], leaf, leaf.IndexOfAny(Wildcards) >= 0);
    }

    /// <summary>
    /// Whether <paramref name="name"/> matches a file-name pattern of * (any run, dot files too) and ? (one character):
    /// the greedy match that backtracks to the last star only, O(pattern × name) whatever the pattern.
    /// </summary>
    public static bool Matches(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, resume = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]) && pattern[p] != '*')
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
