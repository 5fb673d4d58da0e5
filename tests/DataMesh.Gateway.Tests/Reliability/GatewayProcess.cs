using DataMesh.Gateway.Tests.Infrastructure;
using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// The real gateway host (datamesh.dll serve --demo) as a separate process on a free loopback port, for tests that
/// signal it (SIGTERM, SIGINT, SIGKILL) the way an operator or an orchestrator would.
/// </summary>
public sealed class GatewayProcess : IDisposable
{
    private readonly System.Text.StringBuilder _log = new();

    private GatewayProcess(Process process, int port, string dataDir)
    {
        Process = process;
        Port = port;
        DataDir = dataDir;
    }

    public Process Process { get; }
    public int Port { get; }
    public string DataDir { get; }

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public static GatewayProcess Start(string dataDir, double graceSeconds) =>
        Start(dataDir, ["--demo"], new Dictionary<string, string> { ["DATAMESH_SHUTDOWNGRACESECONDS"] = graceSeconds.ToString(CultureInfo.InvariantCulture) });

    /// <summary><c>serve</c> with <paramref name="options"/> (such as <c>--catalog</c>) and extra environment variables.</summary>
    public static GatewayProcess Start(string dataDir, IReadOnlyList<string> options, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePorts.Next();
        // Through env --default-signal: a test run started in the background (nohup, `&` in a script) inherits SIGINT
        // and SIGQUIT as ignored, and a process keeps a signal ignored that was ignored when it started, so SIGINT
        // would never reach the gateway. env restores the default disposition and execs dotnet (same pid).
        var start = new ProcessStartInfo("env") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--default-signal=INT,TERM", "dotnet", Path.Combine(AppContext.BaseDirectory, "datamesh.dll"), "serve", "--data-dir", dataDir, "--listen", $"127.0.0.1:{port}", "--log-format", "simple" }.Concat(options))
            start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var gateway = new GatewayProcess(Process.Start(start)!, port, dataDir);
        gateway.Process.OutputDataReceived += (_, e) => gateway.Keep(e.Data);
        gateway.Process.ErrorDataReceived += (_, e) => gateway.Keep(e.Data);
        gateway.Process.BeginOutputReadLine();
        gateway.Process.BeginErrorReadLine();
        return gateway;
    }

    /// <summary>
    /// Waits for the process to exit, then for its redirected output to be read to the end: Process.WaitForExit with
    /// a timeout returns at exit, before the asynchronous readers have delivered the last lines (such as
    /// "Shutdown complete"); only the parameterless overload waits for them.
    /// </summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!Process.WaitForExit(timeout)) return false;
        Process.WaitForExit();
        return true;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public string ConnectionString(string user, string database) =>
        $"Host=127.0.0.1;Port={Port};Username={user};Password={user};Database={database};SSL Mode=Disable;Pooling=false;Timeout=10;Command Timeout=120";

    public async Task WaitUntilConnectableAsync()
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(Process.HasExited, "the gateway exited during startup: " + Log);
            try
            {
                await using var probe = new NpgsqlConnection(ConnectionString("carol", "postgres"));
                await probe.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (watch.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Sends a signal by name (TERM, INT, KILL) with kill(1).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", Process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }

    public static string NewDataDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", prefix + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
