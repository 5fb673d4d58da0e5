using System.Diagnostics;
using System.Text.Json;

namespace DataMesh.Gateway.Benchmarks.ObjectStore;

/// <summary>npm's s3rver (tests/clients/s3, installed by bench/run.sh) as a child process on a free loopback port.</summary>
internal sealed class S3rverProcess : IDisposable
{
    private readonly Process _process;

    private S3rverProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public static async Task<S3rverProcess> StartAsync(string repositoryRoot, string directory, string bucket)
    {
        var script = Path.Combine(repositoryRoot, "tests", "clients", "s3", "serve.js");
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, directory, "0", bucket }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("s3rver did not start: " + await process.StandardError.ReadToEndAsync());
        return new S3rverProcess(process, JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32());
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
