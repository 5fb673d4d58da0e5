using DataMesh.Gateway.Tests.Clients;
using Xunit.Abstractions;

namespace DataMesh.Gateway.Tests.Docs;

/// <summary>
/// Executable documentation: every example of README.md, docs/ADMIN-SQL.md and docs/CLIENTS.md runs, in document
/// order, against a fresh demo gateway started through <c>./datamesh</c>, and must give what the document shows
/// (<see cref="DocRunner"/> has the rules). One gateway per document: ADMIN-SQL's examples change the demo.
/// </summary>
public sealed class DocExampleTests(ITestOutputHelper output)
{
    private static string Doc(string relative) => Path.Combine(ClientProcess.RepositoryRoot, relative);

    private async Task<DocRunner> RunAsync(string document)
    {
        await using var gateway = await DocGateway.StartAsync();
        var runner = new DocRunner(gateway, document);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await runner.RunAsync();
        output.WriteLine($"{Path.GetFileName(document)}: {runner.Ran} examples run, {runner.Skipped.Count} skipped, {runner.Failures.Count} failed, {started.Elapsed.TotalSeconds:F1} s");
        foreach (var s in runner.Skipped) output.WriteLine("  skipped " + s);
        return runner;
    }

    private static void AssertNoFailures(DocRunner runner, string document) =>
        Assert.True(runner.Failures.Count == 0,
            $"{runner.Failures.Count} example(s) of {document} differ from what the document shows " +
            "(fix the document, or the code; DATAMESH_UPDATE_DOCS=1 writes the actual output back for review):\n\n" +
            string.Join("\n\n", runner.Failures));

    [Fact]
    public async Task Every_example_of_the_README_runs_as_written()
    {
        var runner = await RunAsync(Doc("README.md"));
        AssertNoFailures(runner, "README.md");
        Assert.True(runner.Ran >= 5, $"only {runner.Ran} README examples ran");
    }

    [Fact]
    public async Task Every_example_of_ADMIN_SQL_runs_as_written()
    {
        var runner = await RunAsync(Doc("docs/ADMIN-SQL.md"));
        AssertNoFailures(runner, "docs/ADMIN-SQL.md");
        Assert.True(runner.Ran >= 120, $"only {runner.Ran} ADMIN-SQL statements ran");
    }

    [Fact]
    public async Task Every_example_of_CLIENTS_runs_as_written()
    {
        var runner = await RunAsync(Doc("docs/CLIENTS.md"));
        AssertNoFailures(runner, "docs/CLIENTS.md");
        Assert.True(runner.Ran >= 8, $"only {runner.Ran} CLIENTS examples ran");
    }

    /// <summary>
    /// The harness fails when a document drifts: a transcript whose value changed, a transcript whose error changed, an
    /// output block that no longer matches, a failing program and a skip without a reason are each reported, with
    /// the line; the correct examples beside them are not.
    /// </summary>
    [Fact]
    public async Task A_document_whose_examples_drifted_fails_with_each_drift_named()
    {
        var document = Path.Combine(Path.GetTempPath(), $"drifted-{Guid.NewGuid():N}.md");
        await File.WriteAllTextAsync(document, """
            # Drifted

            ```
            bob=> SELECT count(*) AS n FROM (VALUES (1), (2)) t(x)
             n
            ---
             2
            (1 row)

            bob=> SELECT count(*) AS n FROM (VALUES (1), (2), (3)) t(x)
             n
            ---
             2
            (1 row)

            carol=> DROP USER carol
            ERROR:  55000: you cannot drop a user
            ```

            ```sh
            PGPASSWORD=bob psql "host=127.0.0.1 port=5433 user=bob dbname=ml_research" -Atc "SELECT count(DISTINCT region) FROM mkt_sls_table"
            ```
            <!-- doctest: output -->
            ```text
            4
            ```

            ```python
            raise SystemExit(3)
            ```

            <!-- doctest: skip -->
            ```sh
            true
            ```
            """);
        try
        {
            var runner = await RunAsync(document);
            var name = Path.GetFileName(document);
            Assert.Collection(runner.Failures,
                f => Assert.StartsWith($"{name}:10: bob@postgres=> SELECT count(*) AS n FROM (VALUES (1), (2), (3)) t(x)\n  expected:  2\n  actual:    3", f),
                f => Assert.StartsWith($"{name}:16: carol@postgres=> DROP USER carol\n  expected: ERROR:  55000: you cannot drop a user\n  actual:   ERROR:  55000: you cannot drop the user you are connected as", f),
                f => Assert.StartsWith($"{name}:25: the output of the sh example at line 21 differs\n  expected: 4\n  actual:   1", f),
                f => Assert.StartsWith($"{name}:29: the python example failed (exit code 3)", f),
                f => Assert.Equal($"{name}:34: a skipped example must say why CI cannot run it", f));
            Assert.Equal(5, runner.Ran);
        }
        finally
        {
            File.Delete(document);
        }
    }
}
