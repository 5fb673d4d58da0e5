using System.Diagnostics;
using System.Net;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataMesh.Gateway.Benchmarks.Stream;

/// <summary>
/// The gateway over the benchmark's Parquet file, in this process or in a child process of its own. In production
/// the gateway and its clients never share a process: a child process keeps the client's garbage collections and
/// threads from pausing or starving the server, as with PostgreSQL's separate backend processes.
/// </summary>
public static class GatewayProcess
{
    public const string User = "bench";
    public const string Password = "bench";

    public static (DuckDbEngine Engine, GatewayServer Server) Start(string parquet, string serverDir, int threads)
    {
        Directory.CreateDirectory(serverDir);
        var catalog = AdminCatalog.Open(serverDir);
        catalog.SetUser(User, Password, domainAdmin: false);
        var engine = DuckDbEngine.Open(new EngineOptions
        {
            AllowedDirectories = [Path.GetDirectoryName(parquet)!],
            TempDirectory = Path.Combine(serverDir, "tmp"),
            Threads = threads,
            SetupStatements =
            [
                "CREATE SCHEMA bench",
                $"CREATE VIEW bench.lineitem AS SELECT * FROM read_parquet({DuckDbEngine.Literal(parquet)})",
            ],
        });
        var parser = new SqlParser();
        var governance = new DataMesh.Gateway.Server.Governance.GovernanceService(catalog.Catalog, parser.Serialize);
        var server = new GatewayServer(new GatewayServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, engine, catalog.Users,
            catalog.Executor, governance, NullLoggerFactory.Instance);
        server.Start();
        return (engine, server);
    }

    /// <summary>`serve PARQUET SERVERDIR THREADS`: runs the gateway until stdin closes; prints its port first.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var (engine, server) = Start(args[0], args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine($"PORT {server.LocalEndPoint.Port}");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        await server.StopAsync();
        engine.Dispose();
        return 0;
    }

    /// <summary>Starts a child process running <see cref="ServeAsync"/> and returns it with its endpoint.</summary>
    public static (Process Process, IPEndPoint EndPoint) Spawn(string parquet, string serverDir, int threads)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(GatewayProcess).Assembly.Location);
        foreach (var a in new[] { "serve", parquet, serverDir, threads.ToString(System.Globalization.CultureInfo.InvariantCulture) }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("gateway process did not start");
        var port = int.Parse(line["PORT ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return (process, new IPEndPoint(IPAddress.Loopback, port));
    }
}
