using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DataMesh.Gateway.Soak;

/// <summary>
/// The real gateway (datamesh.dll serve --demo) as a child process on a free loopback port, so its memory and open
/// handles can be read from /proc without the soak's own clients in the same process.
/// </summary>
public sealed class GatewayChild : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];

    private GatewayChild(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <param name="catalog">A PostgreSQL catalog to share (<c>--catalog</c>; the password from this process's environment).</param>
    public static GatewayChild Start(string dataDir, string? catalog = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "datamesh.dll"), "serve", "--demo", "--data-dir", dataDir,
                     "--listen", $"127.0.0.1:{port}", "--log-format", "simple" })
            start.ArgumentList.Add(a);
        if (catalog is not null)
        {
            start.ArgumentList.Add("--catalog");
            start.ArgumentList.Add(catalog);
        }
        start.Environment["DATAMESH_LOGLEVEL"] = "Warning";
        start.Environment["DATAMESH_MAXCONNECTIONS"] = "512";
        start.Environment["DATAMESH_SHUTDOWNGRACESECONDS"] = "5";
        var child = new GatewayChild(Process.Start(start)!, port);
        child._process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines the gateway logged (warnings and errors), for the report when something failed.</summary>
    public IReadOnlyList<string> LogTail
    {
        get
        {
            lock (_log) return [.. _log.TakeLast(30)];
        }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Add(line);
            if (_log.Count > 2000) _log.RemoveRange(0, 1000);
        }
    }

    /// <summary>Resident memory, open file descriptors and threads of the gateway process, from /proc.</summary>
    public ProcessSample Sample()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        long Field(string name) => long.Parse(status.First(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        var fds = Directory.GetFileSystemEntries($"/proc/{_process.Id}/fd").Length;
        return new ProcessSample(Field("VmRSS") * 1024, fds, (int)Field("Threads"));
    }

    /// <summary>SIGTERM, then waits for the graceful stop; true when the gateway exited with code 0.</summary>
    public bool Stop(TimeSpan timeout)
    {
        if (_process.HasExited) return false;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        if (!_process.WaitForExit(timeout)) return false;
        return _process.ExitCode == 0;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

public sealed record ProcessSample(long RssBytes, int OpenFiles, int Threads)
{
    public string RssMiB => (RssBytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
}
