using System.Text;
using System.Text.RegularExpressions;

namespace DataMesh.Gateway.Tests.Docs;

/// <summary>
/// A psql transcript in a document: <c>user=&gt; statement</c> in database <c>postgres</c>, or
/// <c>user@database=&gt; statement</c> (continued on <c>user-&gt; …</c> lines, as psql prompts for them) followed by what psql printed, or <c>$ command</c> followed by the command's output.
/// Output lines may hold placeholders (<c>&lt;time&gt;</c>, <c>&lt;data-dir&gt;</c>, <c>&lt;score&gt;</c>, …: any
/// <c>&lt;word&gt;</c>), each matching any text within its line; blank lines are not compared.
/// </summary>
public sealed record TranscriptStep(string User, string Database, string Statement, int Line, IReadOnlyList<string> Expected, int FirstOutputLine, int EndLine)
{
    public bool IsShell => User == "$";
}

public static partial class Transcript
{
    [GeneratedRegex(@"^([a-z_][a-z0-9_]*(?:@[a-z_][a-z0-9_]*)?)=> (.*)$")]
    private static partial Regex Prompt();

    [GeneratedRegex(@"^\$ (.*)$")]
    private static partial Regex ShellPrompt();

    [GeneratedRegex(@"^([a-z_][a-z0-9_]*(?:@[a-z_][a-z0-9_]*)?)-> (.*)$")]
    private static partial Regex Continuation();

    /// <summary>True when the block is a transcript: its first non-blank line is a prompt.</summary>
    public static bool IsTranscript(DocBlock block)
    {
        var first = block.Text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0);
        return first is not null && (Prompt().IsMatch(first) || ShellPrompt().IsMatch(first));
    }

    public static IReadOnlyList<TranscriptStep> Parse(DocBlock block)
    {
        var steps = new List<TranscriptStep>();
        var lines = block.Text.Split('\n');
        for (var i = 0; i < lines.Length;)
        {
            string user;
            var statement = new StringBuilder();
            if (Prompt().Match(lines[i]) is { Success: true } p)
            {
                user = p.Groups[1].Value;
                statement.Append(p.Groups[2].Value);
            }
            else if (ShellPrompt().Match(lines[i]) is { Success: true } s)
            {
                user = "$";
                statement.Append(s.Groups[1].Value);
            }
            else if (lines[i].Trim().Length == 0)
            {
                i++;
                continue;
            }
            else
            {
                throw new FormatException($"{Path.GetFileName(block.File)}:{block.Line + i}: output before the first prompt: {lines[i]}");
            }
            var line = block.Line + i;
            for (i++; i < lines.Length && Continuation().Match(lines[i]) is { Success: true } c && c.Groups[1].Value == user; i++)
                statement.Append('\n').Append(c.Groups[2].Value);
            var first = block.Line + i;
            var expected = new List<string>();
            for (; i < lines.Length && !Prompt().IsMatch(lines[i]) && !ShellPrompt().IsMatch(lines[i]); i++) expected.Add(lines[i]);
            var end = block.Line + i;   // exclusive: the next prompt's line, or the line after the block
            while (expected.Count > 0 && expected[^1].Trim().Length == 0) expected.RemoveAt(expected.Count - 1);
            var at = user.IndexOf('@', StringComparison.Ordinal);
            steps.Add(at < 0
                ? new TranscriptStep(user, "postgres", statement.ToString(), line, expected, first, end)
                : new TranscriptStep(user[..at], user[(at + 1)..], statement.ToString(), line, expected, first, end));
        }
        return steps;
    }

    /// <summary>
    /// A line as compared: trailing blanks dropped, runs of spaces and of dashes collapsed, blanks around <c>|</c> removed
    /// (column widths follow the values, and placeholders are not as wide as what they stand for).
    /// </summary>
    public static string Canonical(string line)
    {
        var l = Regex.Replace(line.TrimEnd(), " {2,}", " ");
        l = Regex.Replace(l, "-{2,}", "--");
        l = Regex.Replace(l, @" ?\| ?", "|");
        l = Regex.Replace(l, @"-?\+-?", "+");
        return l.Trim();
    }

    /// <summary>Whether an actual line matches an expected one (placeholders match any text).</summary>
    public static bool Matches(string expected, string actual)
    {
        var e = Canonical(expected);
        var a = Canonical(actual);
        if (e == a) return true;
        if (!e.Contains('<', StringComparison.Ordinal)) return false;
        var pattern = "^" + string.Join(".*?", Regex.Split(e, "<[a-z][a-z-]*>").Select(Regex.Escape)) + "$";
        return Regex.IsMatch(a, pattern, RegexOptions.Singleline);
    }

    /// <summary>The first difference of non-blank lines, or null when they match.</summary>
    public static string? Difference(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var e = expected.Where(l => l.Trim().Length > 0).ToList();
        var a = actual.Where(l => l.Trim().Length > 0).ToList();
        for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
        {
            var el = i < e.Count ? e[i] : null;
            var al = i < a.Count ? a[i] : null;
            if (el is not null && al is not null && Matches(el, al)) continue;
            return $"  expected: {el ?? "<end of output>"}\n  actual:   {al ?? "<end of output>"}";
        }
        return null;
    }

    /// <summary>
    /// The output to write back into the document (update mode): the actual lines, except that an expected line with
    /// placeholders that still matches its actual line is kept as written.
    /// </summary>
    public static IReadOnlyList<string> Merge(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var e = expected.Where(l => l.Trim().Length > 0).ToList();
        var merged = new List<string>();
        var ei = 0;
        foreach (var a in actual)
        {
            if (a.Trim().Length == 0)
            {
                merged.Add("");
                continue;
            }
            // Only lines with placeholders are kept: a plain line is rewritten as psql prints it (column widths follow).
            merged.Add(ei < e.Count && e[ei].Contains('<', StringComparison.Ordinal) && Matches(e[ei], a) ? e[ei] : a.TrimEnd());
            ei++;
        }
        while (merged.Count > 0 && merged[^1].Length == 0) merged.RemoveAt(merged.Count - 1);
        return merged;
    }
}
