using System.Text;
using System.Text.RegularExpressions;

namespace DataMesh.Gateway.Tests.Docs;

/// <summary>
/// One fenced code block of a Markdown document: its language, text, the line its text starts on, and the
/// <c>&lt;!-- doctest: … --&gt;</c> directive on the line just before the fence (if any).
/// </summary>
public sealed record DocBlock(string File, int Line, string Language, string Text, string? Directive)
{
    /// <summary>The first and last line (1-based) of the block's text in the file: what an update rewrites.</summary>
    public int LastLine => Line + Math.Max(0, Text.Split('\n').Length - 1);

    public string Where => $"{Path.GetFileName(File)}:{Line}";

    private static readonly Regex DirectiveLine = new(@"^<!--\s*doctest:\s*(.*?)\s*-->\s*$", RegexOptions.Compiled);

    /// <summary>The fenced blocks of <paramref name="path"/>, in document order.</summary>
    public static IReadOnlyList<DocBlock> Parse(string path)
    {
        var lines = System.IO.File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<DocBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal)) continue;
            var language = lines[i][3..].Trim();
            string? directive = null;
            if (i > 0 && DirectiveLine.Match(lines[i - 1]) is { Success: true } m) directive = m.Groups[1].Value;
            var text = new StringBuilder();
            var start = i + 2;   // 1-based line of the block's first text line
            for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++)
            {
                text.Append(lines[i]).Append('\n');
            }
            if (i >= lines.Length) throw new FormatException($"{path}:{start - 1}: a code block is not closed");
            blocks.Add(new DocBlock(path, start, language, text.Length == 0 ? "" : text.ToString(0, text.Length - 1), directive));
        }
        return blocks;
    }
}
