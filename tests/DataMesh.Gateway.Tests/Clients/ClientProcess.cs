using System.Diagnostics;
using System.Text.Json;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Clients;

/// <summary>
/// Runs one real client harness from tests/clients (installed by tests/clients/install.sh) against the test gateway,
/// signed in as a consumer: bob in ml_research, whose subscription shows only the European rows of
/// marketing.mkt_sls_table and hides customer_email.
/// </summary>
public static class ClientProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        /// <summary>The harness's facts: the last stdout line that is a JSON object.</summary>
        public JsonElement Json()
        {
            Assert.True(ExitCode == 0, $"client exited {ExitCode}\nstdout: {StdOut}\nstderr: {StdErr}");
            var line = StdOut.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
            Assert.True(line is not null, $"no JSON facts on stdout\nstdout: {StdOut}\nstderr: {StdErr}");
            return JsonDocument.Parse(line!).RootElement.Clone();
        }
    }

    /// <summary>The repository's tests/clients folder (the test binaries run from tests/…/bin/Release/net10.0).</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "clients");
            if (File.Exists(Path.Combine(candidate, "install.sh"))) return candidate;
        }
        throw new InvalidOperationException("tests/clients not found above " + AppContext.BaseDirectory);
    }

    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(Root, "..", ".."));

    /// <summary>Debian's Python, which has the Debian client packages (a pyenv python3 on PATH would not).</summary>
    public const string Python = "/usr/bin/python3";

    public static Task<Result> PythonAsync(GatewayFixture gateway, string script, params string[] arguments) =>
        RunAsync(Python, [Path.Combine(Root, "python", script), .. arguments], Environment(gateway), Path.Combine(Root, "python"));

    /// <summary>A probe of tests/clients/&lt;folder&gt; run by <paramref name="interpreter"/> in that folder.</summary>
    public static Task<Result> ProbeAsync(GatewayFixture gateway, string interpreter, string folder, string script, params string[] arguments) =>
        RunAsync(interpreter, [Path.Combine(Root, folder, script), .. arguments], Environment(gateway), Path.Combine(Root, folder));

    public static Dictionary<string, string> Environment(GatewayFixture gateway, string user = "bob", string database = "ml_research") => new()
    {
        ["DM_HOST"] = "127.0.0.1",
        ["DM_PORT"] = gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["DM_USER"] = user,
        ["DM_PASSWORD"] = user,
        ["DM_DATABASE"] = database,
        ["DM_SSLMODE"] = "disable",
        ["PYTHONDONTWRITEBYTECODE"] = "1",
        ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1",
    };

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null,
        string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish: {await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
