using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Configuration;
using DataMesh.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Tests.AdminTranscripts;

/// <summary>
/// A demo gateway on a FRESH data directory (admin commands mutate the catalog, so transcripts never share one),
/// plus the machinery to run a transcript script through the real psql and compare it with the checked-in
/// expected output under <c>AdminTranscripts/Expected/&lt;name&gt;.out</c>.
/// </summary>
/// <remarks>
/// Script format: one statement per line (a statement may span lines; it ends with a line ending in ";"),
/// "-- @as NAME" switches the user (password = user name, as in the demo), other "--" lines and blank lines are
/// ignored. "{data_dir}" is replaced by the data directory. Each statement runs in its own
/// <c>psql --no-psqlrc -X -q -P pager=off -v VERBOSITY=verbose -c</c> (aligned format; verbose so that error
/// lines carry the SQLSTATE), stdout then stderr appended to the transcript.
/// Set DATAMESH_UPDATE_TRANSCRIPTS=1 to (re)write the expected files from the actual output.
/// </remarks>
public sealed class TranscriptGateway : IAsyncDisposable
{
    private TranscriptGateway(GatewayHost host, string dataDirectory)
    {
        Host = host;
        DataDirectory = dataDirectory;
    }

    public GatewayHost Host { get; }
    public string DataDirectory { get; }
    public int Port => Host.EndPoint.Port;

    public static TranscriptGateway Start()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "datamesh-tests", "transcripts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var settings = new GatewaySettings
        {
            Listen = "127.0.0.1:0",
            DataDir = dataDirectory,
            Demo = true,
            Tls = false,
            StatementTimeoutSeconds = 0,
            MaxConnections = 64,
            ShutdownGraceSeconds = 1,
            MemoryLimit = "1GB",
            Threads = 2,
        };
        var host = GatewayHost.Start(settings, LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole()), GatewayFixture.SeedDirectory);
        return new TranscriptGateway(host, host.DataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
        catch (UnauthorizedAccessException)
        {
            // best effort
        }
    }

    /// <summary>Runs the script and returns the normalised transcript.</summary>
    public async Task<string> RunAsync(string script)
    {
        var transcript = new StringBuilder();
        foreach (var (user, text) in Parse(script))
        {
            var sql = text.Replace("{data_dir}", DataDirectory, StringComparison.Ordinal);
            var result = await PsqlAsync(user, sql);
            transcript.Append(user).Append("=> ").Append(text).Append('\n');
            var stdout = Normalise(result.StdOut);
            if (text.StartsWith("SEARCH CATALOG", StringComparison.OrdinalIgnoreCase)) stdout = NormaliseScores(stdout);
            transcript.Append(stdout);
            transcript.Append(Normalise(result.StdErr));
            if (result.ExitCode is not (0 or 1)) transcript.Append($"(psql exit code {result.ExitCode})\n");
            transcript.Append('\n');
        }
        return transcript.ToString();
    }

    public async Task<Psql.Result> PsqlAsync(string user, string sql)
    {
        var start = new ProcessStartInfo(Psql.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add($"host=127.0.0.1 port={Port} user={user} dbname=postgres sslmode=disable");
        foreach (var a in new[] { "--no-psqlrc", "-X", "-q", "-P", "pager=off", "-v", "VERBOSITY=verbose", "-c", sql }) start.ArgumentList.Add(a);
        start.Environment["PGPASSWORD"] = user;
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        start.Environment["PGCLIENTENCODING"] = "UTF8";
        start.Environment["LC_ALL"] = "C.UTF-8";
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment.Remove("PGOPTIONS");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new Psql.Result(process.ExitCode, await stdout, await stderr);
    }

    private string Normalise(string output)
    {
        var text = output.Replace("\r\n", "\n", StringComparison.Ordinal).Replace(DataDirectory, "<data-dir>", StringComparison.Ordinal);
        text = text.Replace($"port {Port} ", "port <port> ", StringComparison.Ordinal);
        return Timestamp().Replace(text, "<time>");
    }

    /// <summary>bm25 scores depend on SQLite's FTS5 internals: the last column of SEARCH CATALOG rows becomes &lt;score&gt;.</summary>
    private static string NormaliseScores(string output) =>
        string.Join('\n', output.Split('\n').Select(line =>
        {
            var bar = line.LastIndexOf('|');
            if (bar < 0 || line.StartsWith("--", StringComparison.Ordinal) || line.TrimEnd().EndsWith("score", StringComparison.Ordinal)) return line;
            return line[..(bar + 1)] + " <score>";
        }));

    private static Regex Timestamp() => TimestampRegex.Value;

    private static readonly Lazy<Regex> TimestampRegex = new(() => new Regex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?\+00", RegexOptions.Compiled));

    /// <summary>Splits a script into (user, statement) pairs; the statement keeps its line breaks, minus the final ";".</summary>
    public static IEnumerable<(string User, string Text)> Parse(string script)
    {
        var user = "carol";
        var current = new StringBuilder();
        foreach (var raw in script.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            if (current.Length == 0)
            {
                if (line.StartsWith("-- @as ", StringComparison.Ordinal))
                {
                    user = line["-- @as ".Length..].Trim();
                    continue;
                }
                if (line.Length == 0 || line.TrimStart().StartsWith("--", StringComparison.Ordinal)) continue;
            }
            if (current.Length > 0) current.Append('\n');
            current.Append(line);
            if (line.EndsWith(';'))
            {
                var text = current.ToString();
                yield return (user, text[..^1]);
                current.Clear();
            }
        }
        if (current.Length > 0) throw new ArgumentException("script ends inside a statement (missing \";\"): " + current);
    }

    /// <summary>
    /// Compares the transcript with <c>Expected/&lt;name&gt;.out</c> after canonicalising both (cells trimmed, runs of
    /// spaces and dashes collapsed) so that column widths depending on the machine's temp path do not matter.
    /// </summary>
    public static void AssertMatches(string name, string actual)
    {
        var folder = ExpectedFolder();
        var expectedPath = Path.Combine(folder, name + ".out");
        if (Environment.GetEnvironmentVariable("DATAMESH_UPDATE_TRANSCRIPTS") == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(expectedPath, actual);
            return;
        }
        if (!File.Exists(expectedPath))
        {
            File.WriteAllText(expectedPath + ".actual", actual);
            Assert.Fail($"no expected transcript {expectedPath}; the actual output was written to {expectedPath}.actual " +
                        "(review it, then rename it or run with DATAMESH_UPDATE_TRANSCRIPTS=1)");
        }
        var expected = File.ReadAllText(expectedPath);
        var e = Canonical(expected);
        var a = Canonical(actual);
        if (e == a) return;
        File.WriteAllText(Path.Combine(Path.GetTempPath(), $"datamesh-transcript-{name}.actual"), actual);
        var el = e.Split('\n');
        var al = a.Split('\n');
        var first = Enumerable.Range(0, Math.Min(el.Length, al.Length)).FirstOrDefault(i => el[i] != al[i], Math.Min(el.Length, al.Length));
        Assert.Fail($"transcript {name} differs from {expectedPath} at canonical line {first + 1}:\n" +
                    $"  expected: {(first < el.Length ? el[first] : "<end>")}\n" +
                    $"  actual:   {(first < al.Length ? al[first] : "<end>")}\n" +
                    $"full actual output: {Path.Combine(Path.GetTempPath(), $"datamesh-transcript-{name}.actual")}");
    }

    public static string Canonical(string transcript) =>
        string.Join('\n', transcript.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(line =>
        {
            var l = Regex.Replace(line.TrimEnd(), " {2,}", " ");
            l = Regex.Replace(l, "-{2,}", "--");
            l = Regex.Replace(l, @" ?\| ?", "|");
            return l.Trim();
        }));

    /// <summary>The source folder of the expected transcripts: walk up from the test output to the solution.</summary>
    public static string ExpectedFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DataMesh.Gateway.sln")))
                return Path.Combine(dir.FullName, "tests", "DataMesh.Gateway.Tests", "AdminTranscripts", "Expected");
        }
        throw new InvalidOperationException("DataMesh.Gateway.sln not found above " + AppContext.BaseDirectory);
    }
}
