using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server (Debian's postgresql-15, installed by tests/clients/install.sh) in a temporary
/// directory on a free loopback port, for differential tests of what goes over the wire: the gateway must answer
/// startup and protocol errors with the SQLSTATE and wording PostgreSQL uses. SCRAM-SHA-256 for every connection;
/// user <c>postgres</c>, password <see cref="Password"/>. Run as the current user, or as <c>postgres</c> when the
/// tests run as root (initdb refuses root).
/// </summary>
public sealed class RealPostgres : IAsyncLifetime
{
    public const string User = "postgres";
    public const string Password = "parity-secret";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "datamesh-pg-" + Guid.NewGuid().ToString("N")[..12]);

    public int Port { get; private set; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    private string Data => Path.Combine(_directory, "data");

    public async Task InitializeAsync()
    {
        var bin = BinDirectory();
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(Path.Combine(_directory, "pw"), Password + "\n");
        if (IsRoot) await RunAsync("chown", "-R", "postgres", _directory);
        await RunAsPostgresAsync(Path.Combine(bin, "initdb"), "-D", Data, "-A", "scram-sha-256", "--pwfile", Path.Combine(_directory, "pw"),
            "-U", User, "-E", "UTF8", "--locale", "C", "--no-sync");
        Port = FreePorts.Next();
        await StartAsync();
    }

    /// <summary>Starts the server (again) on the same port and data directory.</summary>
    public Task StartAsync() =>
        RunAsPostgresAsync(Path.Combine(BinDirectory(), "pg_ctl"), "-D", Data, "-w", "-t", "60", "-l", Path.Combine(_directory, "log"), "-o",
            $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB -c max_connections=20", "start");

    /// <summary>Stops the server as an operator would (fast shutdown: sessions are terminated, the data kept).</summary>
    public Task StopAsync() => RunAsPostgresAsync(Path.Combine(BinDirectory(), "pg_ctl"), "-D", Data, "-m", "fast", "-w", "-t", "60", "stop");

    public async Task DisposeAsync()
    {
        try
        {
            // A test that stopped the server (StopAsync) and failed before starting it again leaves nothing to stop.
            if (File.Exists(Path.Combine(Data, "postmaster.pid")))
                await RunAsPostgresAsync(Path.Combine(BinDirectory(), "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    public async Task<RawClient> ConnectAsync()
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(EndPoint);
        return RawClient.Wrap(tcp);
    }

    /// <summary>Runs one statement as <see cref="User"/> in database postgres; an error other than <paramref name="ignore"/> fails.</summary>
    public async Task ExecuteAsync(string sql, string? ignore = null)
    {
        await using var client = await ConnectAsync();
        await client.SendAsync(RawClient.StartupMessage(User, "postgres"));
        await RawLogin.AuthenticateAsync(client, User, Password);
        await client.SendAsync(RawClient.Query(sql));
        var replies = await client.ReadUntilAsync('Z', TimeSpan.FromSeconds(60));
        if (replies.FirstOrDefault(r => r.Type == 'E') is { Payload: not null } e && RawClient.SqlState(e.Payload) != ignore)
            throw new ServerErrorException(e.Payload);
    }

    /// <summary>The newest installed PostgreSQL's binaries; failing (not skipping) when none is installed.</summary>
    private static string BinDirectory()
    {
        var root = "/usr/lib/postgresql";
        var versions = Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "bin", "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).ToList()
            : [];
        Assert.True(versions.Count > 0, "PostgreSQL server binaries are missing: run tests/clients/install.sh (Debian postgresql-15)");
        return Path.Combine(versions[0], "bin");
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task RunAsPostgresAsync(string file, params string[] args) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : RunAsync(file, args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
    }
}
