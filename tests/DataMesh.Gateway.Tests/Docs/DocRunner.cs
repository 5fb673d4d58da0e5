using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Tests.Clients;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Docs;

/// <summary>
/// Runs every example of one document, in order, against one fresh <see cref="DocGateway"/>, and reports each
/// example whose outcome differs from the document. The rules (also in docs/TESTING.md, "Executable documentation"):
/// <list type="bullet">
/// <item>a block whose first line is a prompt (<c>user=&gt; …</c>, <c>$ …</c>) is a transcript: each statement runs in its
/// own <c>psql -X -q -v VERBOSITY=verbose -c</c> as that user (password = user name) in database <c>postgres</c>, each
/// <c>$</c> command in bash in the gateway's working directory, and the output must match the lines under it;</item>
/// <item><c>sh</c>, <c>sql</c> (with <c>&lt;!-- doctest: psql user=U dbname=D --&gt;</c>), <c>python</c>, <c>js</c> and
/// <c>java</c> (statements of a <c>main</c> that may throw, with <c>java.sql.*</c> and <c>java.util.*</c> imported)
/// blocks run as written and must succeed (exit code 0; psql with ON_ERROR_STOP); a block marked
/// <c>&lt;!-- doctest: output --&gt;</c> right after one is its expected standard output;</item>
/// <item><c>&lt;!-- doctest: skip REASON --&gt;</c> marks an example CI cannot run, and says why (a reason is required);</item>
/// <item>other blocks without a language (syntax, connection strings, diagrams) are not examples.</item>
/// </list>
/// "5433" in what runs becomes the test gateway's port, "&lt;data-dir&gt;" its data directory. Set DATAMESH_UPDATE_DOCS=1 to write the actual transcript and
/// output blocks back into the document (lines that still match are kept as written).
/// </summary>
public sealed partial class DocRunner(DocGateway gateway, string document) : IAsyncDisposable
{
    private static readonly HashSet<string> Runnable = ["sh", "sql", "python", "js", "java", "csharp"];
    private readonly List<string> _failures = [];
    private readonly List<(int Start, int End, IReadOnlyList<string> Lines)> _edits = [];
    private readonly DocObjectStore _objectStore = new(gateway.WorkingDirectory);

    public IReadOnlyList<string> Failures => _failures;
    public int Ran { get; private set; }
    public List<string> Skipped { get; } = [];

    public static bool Updating => Environment.GetEnvironmentVariable("DATAMESH_UPDATE_DOCS") == "1";

    public async Task RunAsync()
    {
        var blocks = DocBlock.Parse(document);
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            var output = i + 1 < blocks.Count && blocks[i + 1].Directive == "output" ? blocks[i + 1] : null;
            if (block.Directive == "output") continue;   // taken with the block before it
            if (block.Directive is { } d && d.StartsWith("skip", StringComparison.Ordinal))
            {
                var reason = d["skip".Length..].Trim(' ', '—', '-', ':');
                if (reason.Length < 10) _failures.Add($"{block.Where}: a skipped example must say why CI cannot run it");
                Skipped.Add($"{block.Where}: {reason}");
                continue;
            }
            if (block.Directive is { } s3 && s3.StartsWith("s3 ", StringComparison.Ordinal) && await _objectStore.PrepareAsync(s3) is { } s3Error)
            {
                _failures.Add($"{block.Where}: {s3Error}");
                continue;
            }
            if (await RunCheckedElsewhereAsync(block)) continue;
            if (Transcript.IsTranscript(block))
            {
                if (block.Directive is { } session && session.StartsWith("session", StringComparison.Ordinal)) await RunSessionAsync(block);
                else await RunTranscriptAsync(block);
                if (block.Directive is { } audit && audit.StartsWith("audit-csv ", StringComparison.Ordinal)) await CheckAuditExportAsync(block, audit);
            }
            else if (Runnable.Contains(block.Language)) await RunProgramAsync(block, output);
            else if (output is not null) _failures.Add($"{block.Where}: an output block follows a block that does not run");
        }
        if (Updating) ApplyEdits();
    }

    private string Substitute(string text) => _objectStore.ToRunning(text).Replace("<data-dir>", gateway.DataDirectory, StringComparison.Ordinal).Replace("5433", gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private async Task RunTranscriptAsync(DocBlock block)
    {
        foreach (var step in Transcript.Parse(block))
        {
            Ran++;
            var result = step.IsShell
                ? await ProcessAsync("bash", ["-c", Substitute(step.Statement)])
                : await PsqlAsync(step.User, step.Database, ["-q", "-v", "VERBOSITY=verbose", "-c", Substitute(step.Statement)], "disable");
            if (result.ExitCode is not (0 or 1)) result = result with { StdOut = result.StdOut + $"(exit code {result.ExitCode})\n" };
            // Compared as printed (placeholders in the document match anything); written back with the values that
            // change from run to run replaced by placeholders.
            var printed = _objectStore.ToDocument(result.StdOut + result.StdErr).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
            if (Transcript.Difference(step.Expected, printed) is { } difference)
            {
                _failures.Add($"{Path.GetFileName(document)}:{step.Line}: {step.User}@{step.Database}=> {step.Statement.Split('\n')[0]}\n{difference}");
                if (Updating) _edits.Add((step.FirstOutputLine, step.EndLine, WithTrailingBlank(Transcript.Merge(step.Expected, Normalise(step, _objectStore.ToDocument(result.StdOut + result.StdErr))), step, block)));
            }
        }
    }

    /// <summary>Keeps the blank lines that separated the old output from the next prompt (one after a result table).</summary>
    private static IReadOnlyList<string> WithTrailingBlank(IReadOnlyList<string> lines, TranscriptStep step, DocBlock block)
    {
        var trailing = step.EndLine - step.FirstOutputLine - step.Expected.Count;
        var last = step.EndLine > block.LastLine;
        if (trailing == 0 && !last && lines.Count > 0 && Regex.IsMatch(lines[^1], @"^\(\d+ rows?\)$")) trailing = 1;
        return [.. lines, .. Enumerable.Repeat("", last ? 0 : trailing)];
    }

    private async Task RunProgramAsync(DocBlock block, DocBlock? output)
    {
        Ran++;
        var text = Substitute(block.Text);
        var file = Path.Combine(gateway.WorkingDirectory, $"example-{block.Line}");
        Result result;
        switch (block.Language)
        {
            case "sh":
                result = await ProcessAsync("bash", ["-eo", "pipefail", "-c", text]);
                break;
            case "sql" when block.Directive is { } d && Regex.Match(d, @"^psql user=(\w+) dbname=(\w+)$") is { Success: true } m:
                await File.WriteAllTextAsync(file + ".sql", text);
                result = await PsqlAsync(m.Groups[1].Value, m.Groups[2].Value, ["-v", "ON_ERROR_STOP=1", "-f", file + ".sql"], null);
                break;
            case "python":
                await File.WriteAllTextAsync(file + ".py", text);
                result = await ProcessAsync(ClientProcess.Python, [file + ".py"]);
                break;
            case "js":
                // .cjs: CommonJS whatever package.json lies above the temporary directory
                await File.WriteAllTextAsync(file + ".cjs", text);
                result = await ProcessAsync("node", [file + ".cjs"], new() { ["NODE_PATH"] = Path.Combine(ClientProcess.Root, "node", "node_modules") });
                break;
            case "java":
                var source = "import java.sql.*;\nimport java.util.*;\npublic class Example {\n  public static void main(String[] args) throws Exception {\n" + text + "\n  }\n}\n";
                await File.WriteAllTextAsync(Path.Combine(gateway.WorkingDirectory, "Example.java"), source);
                result = await ProcessAsync("java", ["-cp", "/usr/share/java/postgresql.jar", "Example.java"]);
                break;
            default:
                _failures.Add($"{block.Where}: a {(block.Language == "sql" ? "sql block needs <!-- doctest: psql user=U dbname=D -->" : block.Language + " block cannot run here; mark it <!-- doctest: skip REASON -->")}");
                return;
        }
        if (result.ExitCode != 0)
        {
            _failures.Add($"{block.Where}: the {block.Language} example failed (exit code {result.ExitCode})\n{Indent(result.StdOut + result.StdErr)}");
            return;
        }
        if (output is null) return;
        var actual = _objectStore.ToDocument(result.StdOut).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        if (Transcript.Difference(output.Text.Split('\n'), actual) is { } difference)
        {
            _failures.Add($"{output.Where}: the output of the {block.Language} example at line {block.Line} differs\n{difference}");
            if (Updating) _edits.Add((output.Line, output.LastLine + 1, Transcript.Merge(output.Text.Split('\n'), actual)));
        }
    }

    private static string Indent(string text) => string.Join('\n', text.TrimEnd().Split('\n').TakeLast(20).Select(l => "    " + l));

    private List<string> Normalise(TranscriptStep step, string output)
    {
        var text = output.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace(gateway.DataDirectory, "<data-dir>", StringComparison.Ordinal)
            .Replace(gateway.WorkingDirectory, "<cwd>", StringComparison.Ordinal);
        text = Regex.Replace(text, @"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?\+00", "<time>");
        var lines = text.TrimEnd('\n').Split('\n').ToList();
        if (step.Statement.StartsWith("SEARCH CATALOG", StringComparison.OrdinalIgnoreCase))
        {
            // bm25 scores depend on SQLite's FTS5 internals: the last column of the result rows becomes <score>.
            for (var i = 2; i < lines.Count; i++)
            {
                var bar = lines[i].LastIndexOf('|');
                if (bar > 0) lines[i] = lines[i][..(bar + 1)] + " <score>";
            }
        }
        return lines;
    }

    private void ApplyEdits()
    {
        if (_edits.Count == 0) return;
        var lines = File.ReadAllText(document).Split('\n').ToList();
        foreach (var (start, end, replacement) in _edits.OrderByDescending(e => e.Start))
        {
            lines.RemoveRange(start - 1, end - start);
            lines.InsertRange(start - 1, replacement);
        }
        File.WriteAllText(document, string.Join('\n', lines));
    }

    public ValueTask DisposeAsync() => _objectStore.DisposeAsync();

    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    private Task<Result> PsqlAsync(string user, string database, string[] arguments, string? sslMode)
    {
        var connection = $"host=127.0.0.1 port={gateway.Port} user={user} dbname={database}" + (sslMode is null ? "" : $" sslmode={sslMode}");
        return ProcessAsync(Psql.Path, [connection, "--no-psqlrc", "-X", "-P", "pager=off", .. arguments], new() { ["PGPASSWORD"] = user });
    }

    private async Task<Result> ProcessAsync(string fileName, string[] arguments, Dictionary<string, string>? environment = null, string? input = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = gateway.WorkingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        start.Environment["LC_ALL"] = "C.UTF-8";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment.Remove("PGOPTIONS");
        start.Environment.Remove("PGPASSWORD");
        foreach (var (k, v) in environment ?? []) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();   // interactive examples (psql without -c) read an empty session and exit
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, await stdout, await stderr + "\n(timed out after 2 minutes)");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
