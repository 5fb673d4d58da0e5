using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DataMesh.Gateway.Tests.Clients;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// How <c>datamesh serve</c> starts from the command line: an address that another process holds is one line on stderr
/// naming the address, exit code 2, no stack trace; and the repository's <c>./datamesh</c> launcher (README's commands)
/// runs the command line with its own output on stdout.
/// </summary>
public sealed class CommandLineStartTests
{
    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string fileName, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = workingDirectory };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static Task<(int ExitCode, string StdOut, string StdErr)> ServeAsync(string dataDir, params string[] args) =>
        RunAsync("dotnet", Path.GetTempPath(), [Path.Combine(AppContext.BaseDirectory, "datamesh.dll"), "serve", "--demo", "--data-dir", dataDir, "--log-format", "simple", .. args]);

    private static string NewDataDir() => Path.Combine(Path.GetTempPath(), "datamesh-tests", "cli-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("--listen", "the PostgreSQL wire protocol")]
    [InlineData("--metrics-listen", "metrics and health")]
    [InlineData("--web-listen", "the data portal")]
    public async Task A_busy_address_is_one_line_naming_it_and_exit_code_2(string option, string what)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var busy = $"127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
        var args = option == "--listen" ? new[] { "--listen", busy } : ["--listen", "127.0.0.1:0", option, busy];

        var (code, stdout, stderr) = await ServeAsync(NewDataDir(), args);

        Assert.Equal(2, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Equal($"datamesh: cannot listen on {busy} for {what}: the address is already in use (another gateway or a PostgreSQL server?); stop it or choose another address", line);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);   // no stack trace anywhere
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_launcher_runs_the_command_line_from_the_checkout_with_its_output_on_stdout()
    {
        var launcher = Path.Combine(ClientProcess.RepositoryRoot, "datamesh");
        Assert.True(File.Exists(launcher), "the ./datamesh launcher is missing");

        var (code, stdout, stderr) = await RunAsync(launcher, Path.GetTempPath(), "help");

        Assert.True(code == 0, stderr);
        Assert.StartsWith("datamesh — the DataMesh Gateway", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Build succeeded", stdout, StringComparison.Ordinal);   // build progress goes to stderr

        // An unknown command is the program's own exit code 2, passed through by the launcher.
        var (bad, _, badErr) = await RunAsync(launcher, Path.GetTempPath(), "no-such-command");
        Assert.Equal(2, bad);
        Assert.Contains("unknown command: no-such-command", badErr, StringComparison.Ordinal);
    }
}
