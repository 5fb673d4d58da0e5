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
        catalog.SetUser(User, Password, domainAdmin: true);
        PublishLineitem(catalog, parquet, threads);
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
        var governance = new DataMesh.Gateway.Server.Governance.GovernanceService(catalog.Catalog, parser,
            new DataMesh.Gateway.Server.Governance.EngineDefaults { Threads = threads, MemoryLimit = "8GB", TempDirectory = Path.Combine(serverDir, "tmp") });
        var server = new GatewayServer(new GatewayServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, catalog.Users,
            catalog.Executor, governance, NullLoggerFactory.Instance);
        server.Start();
        return (engine, server);
    }

    /// <summary>
    /// The benchmark's data as a real asset: an account over the Parquet file's directory, a project <c>bench</c> that
    /// owns <c>bench.lineitem</c>, so the gateway runs the same governed path as for any consumer (own asset: no row
    /// filter). Idempotent across runs on the same server directory.
    /// </summary>
    private static void PublishLineitem(AdminCatalog catalog, string parquet, int threads)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(parquet))!.Replace("'", "''", StringComparison.Ordinal);
        string[] commands =
        [
            $"ASSOCIATE ACCOUNT acct_bench LOCATION '{root}' ADMIN {User}",
            "ACCEPT ACCOUNT acct_bench",
            $"CREATE PROJECT PROFILE bench_profile BLUEPRINTS (query_limits WITH (memory = '8GB', threads = {threads}, timeout = '3600s'))",
            "CREATE PROJECT bench ACCOUNT acct_bench PROFILE bench_profile",
            $"ADD MEMBER {User} TO PROJECT bench AS OWNER",
            $"CREATE ASSET bench.lineitem FROM '{Path.GetFileName(parquet).Replace("'", "''", StringComparison.Ordinal)}'",
            "PUBLISH ASSET bench.lineitem",
        ];
        foreach (var text in commands)
        {
            var statement = DataMesh.Gateway.Sql.Lexing.StatementSplitter.Split(text).Single();
            if (!DataMesh.Gateway.Sql.Admin.AdminParser.TryParse(statement, out var command) || command is null)
                throw new InvalidOperationException("not an admin command: " + text);
            try
            {
                catalog.Executor.Execute(command, User, "postgres", text);
            }
            catch (DataMesh.Gateway.Protocol.Errors.PgErrorException e) when (e.SqlState is "42710" or "55000")
            {
                // already there from an earlier run on this server directory
            }
        }
    }

    /// <summary>`serve PARQUET SERVERDIR THREADS`: runs the gateway until stdin closes; prints its port first.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var (engine, server) = Start(args[0], args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine($"PORT {server.LocalEndPoint.Port}");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        await server.DisposeAsync();
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
