using System.Diagnostics;
using System.Text;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>A client process the test talks to while it runs: lines in on stdin, stdout collected as it comes.</summary>
internal sealed class InteractiveProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public InteractiveProcess(string fileName, IEnumerable<string> arguments, IDictionary<string, string> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stdout) _stdout.Append(e.Data).Append('\n');
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.Append(e.Data).Append('\n');
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string StdOut
    {
        get
        {
            lock (_stdout) return _stdout.ToString();
        }
    }

    public string StdErr
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits (at most 30 s) until stdout contains <paramref name="text"/>.</summary>
    public async Task WaitForAsync(string text)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!StdOut.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < until && !_process.HasExited, $"\"{text}\" did not appear\nstdout: {StdOut}\nstderr: {StdErr}");
            await Task.Delay(50);
        }
    }

    /// <summary>Closes stdin and waits (at most 60 s) for the process to end; returns its exit code.</summary>
    public async Task<int> FinishAsync()
    {
        _process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected streams
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
