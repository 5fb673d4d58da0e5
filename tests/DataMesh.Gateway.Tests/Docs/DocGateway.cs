using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using DataMesh.Gateway.Tests.Clients;

namespace DataMesh.Gateway.Tests.Docs;

/// <summary>
/// A fresh demo gateway started the way README says, through the repository's <c>./datamesh</c> launcher:
/// <c>./datamesh serve --demo --tls --listen 127.0.0.1:0</c> in a working directory of its own, so its data directory
/// is that directory's <c>./.datamesh</c> (the default the documents use) and <c>./datamesh</c> there is a link to
/// the launcher. TLS is on so that the token and <c>sslmode=require</c> examples run; the others connect as written
/// (libpq's default <c>sslmode=prefer</c>, or the harness's <c>sslmode=disable</c> for transcripts).
/// The port is read from the demo banner (no port is reserved in advance, so nothing races for it).
/// </summary>
public sealed class DocGateway : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DocGateway(Process process, string workingDirectory)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
    }

    public string WorkingDirectory { get; }
    public string DataDirectory => Path.Combine(WorkingDirectory, ".datamesh");
    public int Port { get; private set; }
    public string Launcher => Path.Combine(ClientProcess.RepositoryRoot, "datamesh");

    /// <summary>
    /// The launcher's arguments: README's <c>serve --demo</c>, then TLS (for the token examples), a free port and plain
    /// log lines. The set-up blocks (<c>&lt;!-- doctest: setup --&gt;</c>) must show a prefix of exactly these.
    /// </summary>
    public static IReadOnlyList<string> Arguments { get; } = ["serve", "--demo", "--tls", "--listen", "127.0.0.1:0", "--log-format", "simple"];

    public static async Task<DocGateway> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "datamesh-tests", "docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var launcher = Path.Combine(ClientProcess.RepositoryRoot, "datamesh");
        File.CreateSymbolicLink(Path.Combine(directory, "datamesh"), launcher);
        var start = new ProcessStartInfo(launcher)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in Arguments) start.ArgumentList.Add(a);
        start.Environment["DATAMESH_LOGLEVEL"] = "Warning";
        var gateway = new DocGateway(Process.Start(start)!, directory);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var banner = new Regex(@"demo is listening on 127\.0\.0\.1:(\d+)\.", RegexOptions.Compiled);
        void Collect(string? line)
        {
            if (line is null) return;
            lock (gateway._output) gateway._output.AppendLine(line);
            if (banner.Match(line) is { Success: true } m) listening.TrySetResult(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        gateway._process.OutputDataReceived += (_, e) => Collect(e.Data);
        gateway._process.ErrorDataReceived += (_, e) => Collect(e.Data);
        gateway._process.BeginOutputReadLine();
        gateway._process.BeginErrorReadLine();
        var exited = gateway._process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromMinutes(5)));
        if (first != listening.Task)
        {
            await gateway.DisposeAsync();
            throw new InvalidOperationException("the demo gateway did not start:\n" + gateway.Output);
        }
        gateway.Port = await listening.Task;
        return gateway;
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
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
}
