using DataMesh.Gateway.Tests.Clients;

namespace DataMesh.Gateway.Tests.Docs;

/// <summary>
/// Proof that an example CI runs elsewhere is shown exactly as it runs there: the block against the file another test
/// executes (<c>same-as</c>), or the set-up commands against what DocGateway and <c>.ci/run</c> run (<c>setup</c>).
/// </summary>
public static class DocSameAs
{
    /// <summary>Null when the block's text equals <paramref name="target"/> (<c>path</c> or <c>path#region</c>).</summary>
    public static string? Difference(DocBlock block, string target)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var path = Path.Combine(ClientProcess.RepositoryRoot, hash < 0 ? target : target[..hash]);
        if (!File.Exists(path)) return $"same-as names {target}, which does not exist";
        var lines = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        if (hash >= 0)
        {
            var region = target[(hash + 1)..];
            var begin = Array.FindIndex(lines, l => l.Trim() == "#region " + region);
            var end = begin < 0 ? -1 : Array.FindIndex(lines, begin, l => l.Trim() == "#endregion");
            if (begin < 0 || end < 0) return $"{target}: no #region {region} … #endregion in the file";
            var body = lines[(begin + 1)..end];
            var indent = body.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            lines = body.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()).ToArray();
        }
        var shown = block.Text.Split('\n');
        for (var i = 0; i < Math.Max(shown.Length, lines.Length); i++)
        {
            var s = i < shown.Length ? shown[i] : null;
            var f = i < lines.Length ? lines[i] : null;
            if (s != f)
                return $"the example differs from {target}, which CI runs (line {i + 1})\n  expected: {f ?? "<end of file>"}\n  actual:   {s ?? "<end of example>"}";
        }
        return null;
    }

    /// <summary>
    /// Null when every command of the block (comments and blank lines aside) is the gateway start DocGateway runs
    /// (<c>./datamesh</c> and the first of its arguments) or the command <c>.ci/run</c> executes, and the start is shown.
    /// </summary>
    public static string? SetupDifference(DocBlock block)
    {
        var ci = File.ReadAllLines(Path.Combine(ClientProcess.RepositoryRoot, ".ci", "run"))
            .Select(l => l.Trim()).Where(l => l.StartsWith("exec ", StringComparison.Ordinal)).Select(l => l["exec ".Length..].Trim()).SingleOrDefault();
        var started = false;
        foreach (var raw in block.Text.Split('\n'))
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var command = (hash < 0 ? raw : raw[..hash]).Trim();
            if (command.Length == 0) continue;
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words[0] == "./datamesh" && words.Length - 1 <= DocGateway.Arguments.Count && words.Skip(1).SequenceEqual(DocGateway.Arguments.Take(words.Length - 1)))
            {
                started = true;
                continue;
            }
            if (command == ci) continue;
            return $"\"{command}\" is neither the gateway start the doc tests run (./datamesh {string.Join(' ', DocGateway.Arguments)}) nor the CI command of .ci/run ({ci})";
        }
        return started ? null : "the set-up does not show the gateway start the doc tests run (./datamesh serve --demo …)";
    }
}
