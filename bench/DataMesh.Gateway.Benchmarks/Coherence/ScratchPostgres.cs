using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DataMesh.Gateway.Benchmarks.Coherence;

/// <summary>
/// A throw-away PostgreSQL server (Debian's postgresql-15: initdb and pg_ctl) in a temporary directory on a free
/// loopback port, password authentication, as the postgres user when run as root (initdb refuses root). Stopped and
/// deleted on dispose.
/// </summary>
internal sealed class ScratchPostgres : IDisposable
{
    public const string User = "postgres";
    public const string Password = "bench-secret";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "datamesh-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _bin;

    private ScratchPostgres(string bin) => _bin = bin;

    public int Port { get; private set; }

    private string Data => Path.Combine(_directory, "data");

    public static ScratchPostgres Start()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb"))).Order().ToList() : [];
        if (versions.Count == 0) throw new InvalidOperationException("PostgreSQL server binaries are missing: run tests/clients/install.sh");
        var server = new ScratchPostgres(Path.Combine(versions[^1], "bin"));
        Directory.CreateDirectory(server._directory);
        File.WriteAllText(Path.Combine(server._directory, "pw"), Password + "\n");
        if (IsRoot) Run("chown", "-R", "postgres", server._directory);
        server.RunAsPostgres("initdb", "-D", server.Data, "-A", "scram-sha-256", "--pwfile", Path.Combine(server._directory, "pw"), "-U", User, "-E", "UTF8", "--locale", "C", "--no-sync");
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            server.Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        server.RunAsPostgres("pg_ctl", "-D", server.Data, "-w", "-t", "60", "-l", Path.Combine(server._directory, "log"), "-o",
            $"-p {server.Port} -k {server._directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", "start");
        return server;
    }

    /// <summary>Creates database <paramref name="name"/> and returns its connection string.</summary>
    public string CreateDatabase(string name)
    {
        using (var admin = new Npgsql.NpgsqlConnection(ConnectionString("postgres")))
        {
            admin.Open();
            using var cmd = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", admin);
            cmd.ExecuteNonQuery();
        }
        return ConnectionString(name);
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database={database}";

    public string Url(string database) => $"postgresql://{User}@127.0.0.1:{Port}/{database}";

    private static bool IsRoot => Environment.UserName == "root";

    private void RunAsPostgres(string tool, params string[] args)
    {
        var file = Path.Combine(_bin, tool);
        if (IsRoot) Run("runuser", ["-u", "postgres", "--", file, .. args]);
        else Run(file, args);
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {output.Result}{error.Result}");
    }

    public void Dispose()
    {
        try
        {
            if (File.Exists(Path.Combine(Data, "postmaster.pid"))) RunAsPostgres("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
