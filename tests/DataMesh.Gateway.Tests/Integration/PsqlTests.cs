using System.Diagnostics;
using System.Text;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// The real psql 15 client against the gateway: scripts and ON_ERROR_STOP, \copy to files, SIGINT cancel,
/// TLS and authentication failures, as a user would see them.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PsqlTests(GatewayFixture fixture) : IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("datamesh-psql-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static readonly string[] Regions = ["Europe", "North America", "Asia", "South America"];

    /// <summary>The demo generator's region for an item id (catalog-seed/demo-data.sql).</summary>
    private static string RegionOf(long itemId) => Regions[itemId % 4];

    // ---------------------------------------------------------------- scripts and ON_ERROR_STOP

    [Fact]
    public async Task Script_OnErrorStop_StopsAtFirstError_Exit3()
    {
        var script = WriteFile("stop.sql", """
            select 'first_marker' as m;
            select no_such_column_xyz;
            select 'third_marker' as m;
            """);
        var result = await RunAsync(["-v", "ON_ERROR_STOP=1", "-At", "-f", script]);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("first_marker", result.StdOut);
        Assert.Contains("ERROR:", result.StdErr);
        Assert.Contains("no_such_column_xyz", result.StdErr);
        Assert.DoesNotContain("third_marker", result.StdOut);
    }

    [Fact]
    public async Task Script_OnErrorStop_FromStdin_StopsAtFirstError_Exit3()
    {
        var result = await RunAsync(["-v", "ON_ERROR_STOP=1", "-At"],
            stdin: "select 'first_marker' as m;\nselect no_such_column_xyz;\nselect 'third_marker' as m;\n");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("first_marker", result.StdOut);
        Assert.Contains("ERROR:", result.StdErr);
        Assert.DoesNotContain("third_marker", result.StdOut);
    }

    [Fact]
    public async Task Script_WithoutOnErrorStop_ContinuesAfterError_Exit0()
    {
        var script = WriteFile("continue.sql", """
            select 'first_marker' as m;
            select no_such_column_xyz;
            select 'third_marker' as m;
            """);
        var result = await RunAsync(["-At", "-f", script]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ERROR:", result.StdErr);
        var lines = Lines(result.StdOut);
        Assert.Equal(new[] { "first_marker", "third_marker" }, lines);
    }

    [Fact]
    public async Task Script_ErrorInsideTransaction_AbortsUntilRollback()
    {
        // Without ON_ERROR_STOP psql keeps going: statements in the failed transaction get 25P02 until ROLLBACK.
        var script = WriteFile("tx.sql", """
            begin;
            select no_such_column_xyz;
            select 'in_failed_tx' as m;
            rollback;
            select 'after_rollback' as m;
            """);
        var result = await RunAsync(["-At", "-f", script]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("current transaction is aborted", result.StdErr);
        Assert.DoesNotContain("in_failed_tx", result.StdOut);
        Assert.Contains("after_rollback", result.StdOut);
    }

    [Fact]
    public async Task MultipleDashC_OnErrorStop_StopsAtFirstFailingCommand()
    {
        // psql exits 1 (not 3) when a -c command fails: only scripts (-f, stdin) use exit code 3, as with PostgreSQL.
        var result = await RunAsync(["-v", "ON_ERROR_STOP=1", "-At",
            "-c", "select 'first_marker' as m", "-c", "select no_such_column_xyz", "-c", "select 'third_marker' as m"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("first_marker", result.StdOut);
        Assert.Contains("ERROR:", result.StdErr);
        Assert.DoesNotContain("third_marker", result.StdOut);
    }

    [Fact]
    public async Task MultipleDashC_WithoutOnErrorStop_RunsAll()
    {
        var result = await RunAsync(["-At",
            "-c", "select 'first_marker' as m", "-c", "select no_such_column_xyz", "-c", "select 'third_marker' as m"]);
        Assert.Contains("ERROR:", result.StdErr);
        Assert.Equal(new[] { "first_marker", "third_marker" }, Lines(result.StdOut));
    }

    [Fact]
    public async Task SingleDashC_WithSeveralStatements_IsOneQueryThatStopsAtTheError()
    {
        // One -c string is sent as one simple Query message: the server stops at the first error.
        var result = await RunAsync(["-v", "ON_ERROR_STOP=1", "-At",
            "-c", "select 'first_marker' as m; select no_such_column_xyz; select 'third_marker' as m"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("first_marker", result.StdOut);
        Assert.Contains("no_such_column_xyz", result.StdErr);
        Assert.DoesNotContain("third_marker", result.StdOut);

        var ok = await RunAsync(["-At", "-c", "select 'a' as m; select 'b' as m; select 'c' as m"]);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(new[] { "a", "b", "c" }, Lines(ok.StdOut));
    }

    // ---------------------------------------------------------------- \copy

    [Fact]
    public async Task BackslashCopy_Csv_WithHeader_WritesExpectedFile()
    {
        var file = Path.Combine(_workDir, "sales.csv");
        var result = await RunAsync(["-c",
            $"\\copy (select item_id, region from marketing.mkt_sls_table order by item_id limit 100) to '{file}' csv header"]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("COPY 100", result.StdOut);

        var lines = File.ReadAllLines(file);
        Assert.Equal(101, lines.Length);
        Assert.Equal("item_id,region", lines[0]);
        Assert.Equal("1,North America", lines[1]);
        var expected = await QueryRowsAsync("select item_id, region from marketing.mkt_sls_table order by item_id limit 100");
        Assert.Equal(100, expected.Count);
        Assert.Equal(expected.Select(r => $"{r[0]},{r[1]}"), lines.Skip(1));
        for (var i = 1; i <= 100; i++) Assert.Equal($"{i},{RegionOf(i)}", lines[i]);
        Assert.EndsWith("\n", File.ReadAllText(file));
    }

    [Fact]
    public async Task BackslashCopy_TextFormat_WritesTabSeparatedFile()
    {
        var file = Path.Combine(_workDir, "sales.txt");
        var result = await RunAsync(["-c",
            $"\\copy (select item_id, region, sale_date, amount from marketing.mkt_sls_table order by item_id limit 100) to '{file}'"]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("COPY 100", result.StdOut);

        var lines = File.ReadAllLines(file);
        Assert.Equal(100, lines.Length); // no header in text format
        var expected = await QueryRowsAsync(
            "select item_id::varchar, region, sale_date::varchar, amount::varchar from marketing.mkt_sls_table order by item_id limit 100");
        Assert.Equal(expected.Select(r => string.Join('\t', r)), lines);
        Assert.StartsWith("1\tNorth America\t", lines[0]);
        Assert.Equal("2", lines[1].Split('\t')[0]);
        Assert.Equal("Asia", lines[1].Split('\t')[1]);
    }

    [Fact]
    public async Task BackslashCopy_QuotingAndNulls_CsvAndText()
    {
        const string query = "select 'a,b' as x, 'say \"hi\"' as y, cast(null as varchar) as z, 'back\\slash' as w";
        var csv = Path.Combine(_workDir, "special.csv");
        var text = Path.Combine(_workDir, "special.txt");
        var r1 = await RunAsync(["-c", $"\\copy ({query}) to '{csv}' csv header"]);
        Assert.True(r1.ExitCode == 0, r1.StdErr);
        var r2 = await RunAsync(["-c", $"\\copy ({query}) to '{text}'"]);
        Assert.True(r2.ExitCode == 0, r2.StdErr);

        Assert.Equal(new[] { "x,y,z,w", "\"a,b\",\"say \"\"hi\"\"\",,back\\slash" }, File.ReadAllLines(csv));
        Assert.Equal(new[] { "a,b\tsay \"hi\"\t\\N\tback\\\\slash" }, File.ReadAllLines(text));
    }

    [Fact]
    public async Task BackslashCopy_ToStdout_CountMatchesQuery()
    {
        var result = await RunAsync(["-c", "\\copy (select campaign_id, name from marketing.campaigns order by campaign_id) to stdout csv"]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = Lines(result.StdOut);
        Assert.Equal(50, lines.Count);
        Assert.Equal("1,Campaign 1", lines[0]);
        Assert.Equal("50,Campaign 50", lines[^1]);
    }

    [Fact]
    public async Task BackslashCopy_From_IsRefused()
    {
        var file = WriteFile("in.csv", "1,x\n");
        var result = await RunAsync(["-c", $"\\copy marketing.campaigns from '{file}' csv"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ERROR:", result.StdErr);
        Assert.Contains("COPY FROM is not allowed", result.StdErr);
    }

    // ---------------------------------------------------------------- SIGINT cancel

    [Fact]
    public async Task Sigint_CancelsLongQuery_AndGatewayKeepsServing()
    {
        // A cross join the engine cannot shortcut: tens of seconds of work if nothing cancels it, but bounded, so a
        // failing cancel cannot wedge the shared engine for the rest of the run.
        using var process = Start(["-c", "select sum(a.range * b.range) from range(100000) a, range(100000) b"], user: "alice", password: "alice");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Task.Delay(1500);
        if (process.HasExited) Assert.Fail($"psql ended before it could be cancelled: {await stdout} {await stderr}");

        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("psql did not exit within 10 s of SIGINT");
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"psql took {watch.Elapsed} to exit after SIGINT");
        var err = await stderr;
        Assert.Contains("canceling statement due to user request", err);
        Assert.Equal(1, process.ExitCode);
        Assert.DoesNotContain("(1 row)", await stdout);

        var after = await RunAsync(["-At", "-c", "select count(*) from marketing.campaigns"]);
        Assert.Equal(0, after.ExitCode);
        Assert.Equal("50", after.StdOut.Trim());
    }

    // ---------------------------------------------------------------- TLS

    [Fact]
    public async Task SslModeRequire_ConnectsOverTls()
    {
        var result = await RunAsync(["-c", "\\conninfo", "-At", "-c", "select 'over_tls' as m"], sslMode: "require");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("SSL connection (protocol: TLS", result.StdOut);
        Assert.Contains("over_tls", result.StdOut);
    }

    [Fact]
    public async Task SslModePrefer_UsesTls_AndDisable_DoesNot()
    {
        var prefer = await RunAsync(["-c", "\\conninfo"], sslMode: "prefer");
        Assert.True(prefer.ExitCode == 0, prefer.StdErr);
        Assert.Contains("SSL connection", prefer.StdOut);

        var disable = await RunAsync(["-c", "\\conninfo"], sslMode: "disable");
        Assert.True(disable.ExitCode == 0, disable.StdErr);
        Assert.Contains("You are connected", disable.StdOut);
        Assert.DoesNotContain("SSL connection", disable.StdOut);
    }

    [Fact]
    public async Task SslModeRequire_StreamsLargeResult()
    {
        var result = await RunAsync(["-At", "-c", "select item_id, customer_email from marketing.mkt_sls_table order by item_id limit 200000"],
            sslMode: "require");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = Lines(result.StdOut);
        Assert.Equal(200000, lines.Count);
        Assert.Equal("1|customer1@example.com", lines[0]);
        Assert.Equal("200000|customer0@example.com", lines[^1]);
    }

    // ---------------------------------------------------------------- authentication failures

    [Theory]
    [InlineData("disable")]
    [InlineData("require")]
    public async Task WrongPassword_Exit2_PasswordAuthenticationFailed(string sslMode)
    {
        // Several attempts: the FATAL message must reach the client every time, not just sometimes.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var result = await RunAsync(["-c", "select 1"], password: "definitely-wrong", sslMode: sslMode);
            Assert.Equal(2, result.ExitCode);
            Assert.True(result.StdErr.Contains("password authentication failed for user \"alice\"", StringComparison.Ordinal),
                $"attempt {attempt + 1}: psql stderr was: {result.StdErr}");
        }
        await AssertGatewayServesAsync();
    }

    [Fact]
    public async Task UnknownUser_SameMessageAsWrongPassword()
    {
        var result = await RunAsync(["-c", "select 1"], user: "mallory", password: "mallory");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("password authentication failed for user \"mallory\"", result.StdErr);
        await AssertGatewayServesAsync();
    }

    [Fact]
    public async Task RightPassword_OtherDemoUser_Works()
    {
        var result = await RunAsync(["-At", "-c", "select 'dave_ok' as m"], user: "dave", password: "dave", database: "finance");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal("dave_ok", result.StdOut.Trim());
    }

    // ================================================================ helpers

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_workDir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

    private async Task AssertGatewayServesAsync()
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        Assert.Equal(1, Convert.ToInt32(await command.ExecuteScalarAsync()));
    }

    private async Task<List<string[]>> QueryRowsAsync(string sql)
    {
        await using var connection = await fixture.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!;
            rows.Add(row);
        }
        return rows;
    }

    private Process Start(string[] arguments, string user, string password, string sslMode = "disable", string database = "marketing",
        bool redirectStdin = true)
    {
        var start = new ProcessStartInfo(Psql.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            WorkingDirectory = _workDir,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add($"host=127.0.0.1 port={fixture.Port} user={user} dbname={database} sslmode={sslMode}");
        start.ArgumentList.Add("--no-psqlrc");
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["PGPASSWORD"] = password;
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        start.Environment["PGAPPNAME"] = "psql-tests";
        start.Environment.Remove("PGSERVICE");
        start.Environment.Remove("PGSSLMODE");
        var process = Process.Start(start)!;
        return process;
    }

    private async Task<Psql.Result> RunAsync(string[] arguments, string user = "alice", string? password = null,
        string sslMode = "disable", string? stdin = null, string database = "marketing")
    {
        using var process = Start(arguments, user, password ?? user, sslMode, database);
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"psql {string.Join(' ', arguments)} did not finish within 60 s");
        }
        return new Psql.Result(process.ExitCode, await stdout, await stderr);
    }
}
