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
        await using var runner = new DocRunner(gateway, document);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await runner.RunAsync();
        output.WriteLine($"{Path.GetFileName(document)}: {runner.Ran} examples run, {runner.Skipped.Count} skipped, {runner.Failures.Count} failed, {started.Elapsed.TotalSeconds:F1} s");
        foreach (var s in runner.Skipped) output.WriteLine("  skipped " + s);
        foreach (var f in runner.Failures) output.WriteLine("  failed " + f);
        return runner;
    }

    private static void AssertNoFailures(DocRunner runner, string document)
    {
        Assert.True(runner.Failures.Count == 0,
            $"{runner.Failures.Count} example(s) of {document} differ from what the document shows " +
            "(fix the document, or the code; DATAMESH_UPDATE_DOCS=1 writes the actual output back for review):\n\n" +
            string.Join("\n\n", runner.Failures));
        // Every example runs (or is proven to be what CI runs elsewhere): a skip would be an example nobody checks.
        Assert.True(runner.Skipped.Count == 0, $"{document} skips examples:\n" + string.Join("\n", runner.Skipped));
    }

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
    /// docs/DEPLOYMENT.md's examples need PostgreSQL or a Docker engine, which the doc gateway does not have: each says
    /// why it cannot run here and which test runs its substance (Fleet/CatalogMigrationTests, Fleet/LoadBalancerTests);
    /// an example added without a directive would run, and a skip without a reason fails.
    /// </summary>
    [Fact]
    public async Task Every_example_of_DEPLOYMENT_runs_or_says_why_it_cannot()
    {
        var runner = await RunAsync(Doc("docs/DEPLOYMENT.md"));
        Assert.True(runner.Failures.Count == 0, string.Join("\n\n", runner.Failures));
        Assert.Equal(2, runner.Skipped.Count);
    }

    /// <summary>
    /// The harness fails when a document drifts: a transcript whose value changed, a transcript whose error changed, an
    /// output block that no longer matches, a failing program and a skip without a reason are each reported, with
    /// the line; the correct examples beside them are not. So are the directives' drifts: a psql session that prints
    /// otherwise, an audit export whose header is not SHOW AUDIT's, an example unlike the file CI runs, a set-up command
    /// the doc tests do not run, and an object-store example whose key changed (s3rver checks key ids, not SigV4
    /// signatures, so the drift is in the key id; the correct example before it shows the server and keys work).
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

            <!-- doctest: session -->
            ```
            bob=> SELECT 1 AS answer;
             answer
            --------
                  2
            (1 row)
            ```

            <!-- doctest: audit-csv file=fake.csv user=carol where=since '2026-12-01' -->
            ```
            $ printf 'id,at\n1,x\n' > fake.csv
            ```

            <!-- doctest: same-as .ci/run -->
            ```sh
            #!/usr/bin/env bash
            exec tests/test.sh
            ```

            <!-- doctest: setup -->
            ```sh
            ./datamesh serve --demo --listen 0.0.0.0:5433
            tests/test.sh
            ```

            <!-- doctest: s3 bucket=drift keys=AKIADRIFT:drift/secret orders=mesh/p/orders/part-1.parquet -->
            ```
            carol=> ASSOCIATE ACCOUNT ok LOCATION 's3://drift/mesh/' ADMIN alice WITH (endpoint = 'http://127.0.0.1:9000', access_key_id = 'AKIADRIFT', secret_access_key = 'drift/secret')
             account |  status  | admin
            ---------+----------+-------
             ok      | proposed | alice
            (1 row)

            carol=> ASSOCIATE ACCOUNT drifted LOCATION 's3://drift/other/' ADMIN alice WITH (endpoint = 'http://127.0.0.1:9000', access_key_id = 'AKIACHANGED', secret_access_key = 'drift/secret')
             account |  status  | admin
            ---------+----------+-------
             drifted | proposed | alice
            (1 row)
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
                f => Assert.Equal($"{name}:34: a skipped example must say why CI cannot run it", f),
                f => Assert.StartsWith($"{name}:39: the psql session of bob@postgres differs\n  expected:       2\n  actual:         1", f),
                f => Assert.StartsWith($"{name}:48: the header of fake.csv is not SHOW AUDIT's columns\n  expected: id,at,user,issuer,", f),
                f => Assert.StartsWith($"{name}:53: the example differs from .ci/run, which CI runs (line 2)\n  expected: # CI entry point", f),
                f => Assert.StartsWith($"{name}:59: \"./datamesh serve --demo --listen 0.0.0.0:5433\" is neither the gateway start", f),
                f => Assert.StartsWith($"{name}:71: carol@postgres=> ASSOCIATE ACCOUNT drifted LOCATION 's3://drift/other/'", f));
            Assert.Equal(11, runner.Ran);
        }
        finally
        {
            File.Delete(document);
        }
    }
}
