using System.Text.RegularExpressions;
using DataMesh.Gateway.Tests.Clients;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Docs;

/// <summary>
/// The directives for examples that do not run as one statement per psql: a transcript that is one psql session
/// (<c>session</c>), an audit export checked against SHOW AUDIT (<c>audit-csv</c>), and examples that CI runs
/// elsewhere, proven to be exactly what runs there (<c>same-as</c>, <c>setup</c>).
/// </summary>
public sealed partial class DocRunner
{
    /// <summary>
    /// <c>&lt;!-- doctest: session --&gt;</c> before a transcript: its statements are typed into ONE psql session of
    /// its user (<c>psql -X -v VERBOSITY=verbose</c>, not quiet, so command tags print; standard error merged in order),
    /// and everything the session printed must match the lines under the prompts, in order. psql ends at the end of its
    /// input, so the run is bounded.
    /// </summary>
    private async Task RunSessionAsync(DocBlock block)
    {
        var steps = Transcript.Parse(block);
        Ran += steps.Count;
        var first = steps[0];
        if (steps.Any(s => s.IsShell || s.User != first.User || s.Database != first.Database))
        {
            _failures.Add($"{block.Where}: a session is one user's psql: every prompt must be {first.User}@{first.Database}");
            return;
        }
        var connection = $"host=127.0.0.1 port={gateway.Port} user={first.User} dbname={first.Database} sslmode=disable";
        var input = string.Join('\n', steps.Select(s => Substitute(s.Statement))) + "\n";
        var result = await ProcessAsync("bash", ["-c", "exec \"$0\" \"$@\" 2>&1", Psql.Path, connection, "--no-psqlrc", "-X", "-P", "pager=off", "-v", "VERBOSITY=verbose"],
            new() { ["PGPASSWORD"] = first.User }, input);
        var printed = _objectStore.ToDocument(result.StdOut).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        if (result.ExitCode != 0) printed = [.. printed, $"(exit code {result.ExitCode})"];
        if (Transcript.Difference(steps.SelectMany(s => s.Expected).ToList(), printed) is { } difference)
            _failures.Add($"{block.Where}: the psql session of {first.User}@{first.Database} differs\n{difference}");
    }

    [GeneratedRegex(@"^audit-csv file=(\S+) user=(\w+) where=(.+)$")]
    private static partial Regex AuditExport();

    /// <summary>
    /// <c>&lt;!-- doctest: audit-csv file=F user=U where=CONDITION --&gt;</c> after a transcript that wrote an
    /// EXPORT AUDIT … FORMAT CSV to F: F's header must be SHOW AUDIT's column names, and its records exactly the records
    /// (ids, in order) that <c>SHOW AUDIT WHERE CONDITION</c> shows U now, up to the newest record of the export.
    /// </summary>
    private async Task CheckAuditExportAsync(DocBlock block, string directive)
    {
        if (AuditExport().Match(directive) is not { Success: true } m)
        {
            _failures.Add($"{block.Where}: an audit-csv directive reads: audit-csv file=F user=U where=CONDITION");
            return;
        }
        var path = Path.Combine(gateway.WorkingDirectory, m.Groups[1].Value);
        var exported = File.Exists(path) ? CsvText.Records(await File.ReadAllTextAsync(path)) : [];
        var shown = await PsqlAsync(m.Groups[2].Value, "postgres", ["--csv", "-c", $"SHOW AUDIT WHERE {m.Groups[3].Value} LIMIT 10000"], "disable");
        var listed = CsvText.Records(shown.StdOut);
        if (exported.Count == 0 || listed.Count == 0)
        {
            _failures.Add($"{block.Where}: the audit export {m.Groups[1].Value} (or SHOW AUDIT) is empty\n{Indent(shown.StdErr)}");
            return;
        }
        if (exported[0] != listed[0])
        {
            _failures.Add($"{block.Where}: the header of {m.Groups[1].Value} is not SHOW AUDIT's columns\n  expected: {listed[0]}\n  actual:   {exported[0]}");
            return;
        }
        var ids = exported.Skip(1).Select(Id).ToList();
        var newest = ids.Count == 0 ? 0 : ids.Max();
        var expected = listed.Skip(1).Select(Id).Where(id => id <= newest).ToList();
        if (ids.Count == 0 || !ids.SequenceEqual(expected))
            _failures.Add($"{block.Where}: {m.Groups[1].Value} holds {ids.Count} records, SHOW AUDIT WHERE {m.Groups[3].Value} showed {expected.Count} up to its newest (ids {string.Join(',', ids.Take(5))}… against {string.Join(',', expected.Take(5))}…)");

        static long Id(string record) => long.Parse(record[..record.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Examples whose run is elsewhere in CI, checked to be exactly what runs there: <c>same-as PATH[#REGION]</c> (the
    /// block's text equals the file, or its <c>#region REGION</c> de-indented, which another test executes) and
    /// <c>setup</c> (each command is the gateway start DocGateway runs, with the extra arguments it adds at the end,
    /// or the command <c>.ci/run</c> runs). True when the block was such an example.
    /// </summary>
    private Task<bool> RunCheckedElsewhereAsync(DocBlock block)
    {
        if (block.Directive is not { } d) return Task.FromResult(false);
        if (d.StartsWith("same-as ", StringComparison.Ordinal))
        {
            Ran++;
            if (DocSameAs.Difference(block, d["same-as ".Length..].Trim()) is { } difference) _failures.Add($"{block.Where}: {difference}");
            return Task.FromResult(true);
        }
        if (d == "setup")
        {
            Ran++;
            if (DocSameAs.SetupDifference(block) is { } difference) _failures.Add($"{block.Where}: {difference}");
            return Task.FromResult(true);
        }
        return Task.FromResult(false);
    }
}
