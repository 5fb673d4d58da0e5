using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DataMesh.Gateway.Benchmarks.Scale;

/// <summary>
/// The real gateway (<c>datamesh serve --demo</c>, the host's own start-up path) in a child process on a data
/// directory, with its metrics endpoint: what an operator runs, measured from outside.
/// </summary>
public sealed class GatewayChild : IDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private GatewayChild(Process process, int port, int metricsPort, DateTime started)
    {
        _process = process;
        Port = port;
        MetricsPort = metricsPort;
        Started = started;
    }

    public int Port { get; }
    public int MetricsPort { get; }
    public DateTime Started { get; }
    public int ProcessId => _process.Id;

    /// <param name="environment">Settings as DATAMESH_ variables (the host reads them).</param>
    /// <param name="serveOptions">Options of <c>serve</c> in place of <c>--demo</c> (such as <c>--catalog URL</c>).</param>
    public static GatewayChild Start(string dataDir, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? serveOptions = null)
    {
        var port = FreePort();
        var metricsPort = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "datamesh.dll"));
        foreach (var a in new[] { "serve", "--data-dir", dataDir, "--listen", $"127.0.0.1:{port}", "--metrics-listen", $"127.0.0.1:{metricsPort}", "--log-format", "simple" }
                     .Concat(serveOptions ?? ["--demo"]))
            start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment["DATAMESH_" + k] = v;
        var started = DateTime.UtcNow;
        var process = Process.Start(start)!;
        var child = new GatewayChild(process, port, metricsPort, started);
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) child.Log.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) child.Log.Enqueue(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The child's log lines (for the report when something fails).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Milliseconds from start until a TCP connect succeeds.</summary>
    public double WaitForPort(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(IPAddress.Loopback, Port);
                return (DateTime.UtcNow - Started).TotalMilliseconds;
            }
            catch (SocketException)
            {
                Thread.Sleep(2);
            }
        }
        throw new TimeoutException("the gateway's port never accepted");
    }

    /// <summary>The value of one metric (a plain <c>name value</c> line), or null.</summary>
    public long? Metric(string name)
    {
        try
        {
            var text = _http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/metrics").GetAwaiter().GetResult();
            foreach (var line in text.Split('\n'))
                if (line.StartsWith(name + " ", StringComparison.Ordinal)) return long.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
        }
        return null;
    }

    /// <summary>Resident memory of the gateway process (VmRSS), in MB.</summary>
    public double ResidentMb()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false); // our own child, by its id
            _process.WaitForExit(30_000);
        }
        _process.Dispose();
        _http.Dispose();
    }
}
