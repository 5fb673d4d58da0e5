using System.Diagnostics;
using System.Net;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog.Model;
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

    /// <summary>The consumer of the governed benchmarks: project <see cref="ConsumerProject"/> with an approved
    /// subscription to <c>bench.lineitem</c> under <see cref="ConsumerRowFilter"/>, without <see cref="ConsumerExcludedColumn"/>.</summary>
    public const string ConsumerUser = "consumer";
    public const string ConsumerPassword = "consumer";
    public const string ConsumerProject = "bench_consumer";
    public const string ConsumerRowFilter = "l_shipmode IN ('MAIL', 'SHIP')";
    public const string ConsumerExcludedColumn = "l_comment";

    public static (DuckDbEngine Engine, GatewayServer Server, AdminCatalog Catalog) Start(string parquet, string serverDir, int threads)
    {
        var catalog = OpenCatalog(parquet, serverDir, threads);
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
        var governance = new DataMesh.Gateway.Server.Governance.GovernanceService(catalog.Catalog, parser);
        var engines = new DataMesh.Gateway.Server.Engines.SessionEngines(catalog.Catalog, governance,
            new DataMesh.Gateway.Server.Engines.EngineDefaults { Threads = threads, MemoryLimit = "8GB", TempDirectory = Path.Combine(serverDir, "tmp") });
        var server = new GatewayServer(new GatewayServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) },
            new GatewayServices(catalog.Users, catalog.Catalog, catalog.Metadata, catalog.Executor, governance, engines), NullLoggerFactory.Instance);
        server.Start();
        return (engine, server, catalog);
    }

    /// <summary>
    /// A server directory for one Parquet file: the catalog's asset keeps the file it was created from (CREATE ASSET
    /// on an existing asset is a no-op here), so a catalog shared by runs of different sizes would serve the wrong file.
    /// </summary>
    public static string ServerDir(string dataDir, string parquet, string kind) =>
        Path.Combine(Path.GetFullPath(dataDir), $"{kind}-{Path.GetFileNameWithoutExtension(parquet)}");

    /// <summary>The server directory's catalog with the bench owner, the asset and the consumer's subscription.</summary>
    public static AdminCatalog OpenCatalog(string parquet, string serverDir, int threads)
    {
        Directory.CreateDirectory(serverDir);
        var catalog = AdminCatalog.Open(serverDir);
        catalog.SetUser(User, Password, domainAdmin: true);
        catalog.SetUser(ConsumerUser, ConsumerPassword, domainAdmin: false);
        PublishLineitem(catalog, parquet, threads);
        SubscribeConsumer(catalog);
        return catalog;
    }

    /// <summary>
    /// The benchmark's data as a real asset: an account over the Parquet file's parent directory, a project <c>bench</c>
    /// whose storage prefix is the file's directory and that owns <c>bench.lineitem</c>, so the gateway runs the same
    /// governed path as for any consumer (own asset: no row filter). Idempotent across runs on the same server directory.
    /// </summary>
    private static void PublishLineitem(AdminCatalog catalog, string parquet, int threads)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(parquet))!;
        var root = (Path.GetDirectoryName(directory) ?? directory).Replace("'", "''", StringComparison.Ordinal);
        var prefix = Path.GetFileName(directory).Replace("'", "''", StringComparison.Ordinal);
        var limits = $"query_limits WITH (memory = '8GB', threads = {threads}, timeout = '3600s')";
        string[] commands =
        [
            $"ASSOCIATE ACCOUNT acct_bench LOCATION '{root}' ADMIN {User}",
            "ACCEPT ACCOUNT acct_bench",
            $"CREATE PROJECT PROFILE bench_profile BLUEPRINTS ({limits}, producer_storage WITH (path = '{prefix}'))",
            $"CREATE PROJECT PROFILE bench_consumer_profile BLUEPRINTS ({limits})",
            "CREATE PROJECT bench ACCOUNT acct_bench PROFILE bench_profile",
            $"ADD MEMBER {User} TO PROJECT bench AS OWNER",
            $"CREATE ASSET bench.lineitem FROM '{Path.GetFileName(parquet).Replace("'", "''", StringComparison.Ordinal)}'",
            "PUBLISH ASSET bench.lineitem",
        ];
        foreach (var text in commands) Admin(catalog, User, text);
    }

    /// <summary>
    /// The consumer side, through the same admin commands a real consumer and owner run: project
    /// <c>bench_consumer</c> (owned by <c>consumer</c>) requests <c>bench.lineitem</c>, the owner approves it with a row
    /// filter and a column filter. Idempotent: an approved subscription from an earlier run is kept if it matches.
    /// </summary>
    private static void SubscribeConsumer(AdminCatalog catalog)
    {
        Admin(catalog, User, $"CREATE PROJECT {ConsumerProject} ACCOUNT acct_bench PROFILE bench_consumer_profile");
        Admin(catalog, User, $"ADD MEMBER {ConsumerUser} TO PROJECT {ConsumerProject} AS OWNER");
        var now = DateTimeOffset.UtcNow;
        var existing = catalog.Catalog.Store.Read(r => r.SubscriptionsOf(ConsumerProject)).FirstOrDefault(x => x.AssetProject == "bench" && x.AssetName == "lineitem" && x.StatusAt(now) is SubscriptionStatus.Approved or SubscriptionStatus.Pending);
        if (existing is { StoredStatus: SubscriptionStatus.Approved })
        {
            if (existing.ExcludeColumns is [ConsumerExcludedColumn] && existing.RowFilter is not null) return;
            Admin(catalog, User, $"REVOKE SUBSCRIPTION {existing.Id}");
            existing = null;
        }
        var id = existing?.Id ?? (long)Admin(catalog, ConsumerUser,
            $"REQUEST SUBSCRIPTION TO bench.lineitem FOR PROJECT {ConsumerProject} JUSTIFICATION 'governed benchmarks'")!.Rows[0][0]!;
        Admin(catalog, User, $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER ({ConsumerRowFilter}) EXCLUDE COLUMNS ({ConsumerExcludedColumn})");
    }

    /// <summary>Runs one admin command as <paramref name="user"/>; null when it was already done by an earlier run.</summary>
    internal static AdminResult? Admin(AdminCatalog catalog, string user, string text)
    {
        var statement = DataMesh.Gateway.Sql.Lexing.StatementSplitter.Split(text).Single();
        if (!DataMesh.Gateway.Sql.Admin.AdminParser.TryParse(statement, out var command) || command is null)
            throw new InvalidOperationException("not an admin command: " + text);
        try
        {
            return catalog.Executor.Execute(command, user, "postgres", text);
        }
        catch (DataMesh.Gateway.Protocol.Errors.PgErrorException e) when (e.SqlState is "42710" or "55000")
        {
            return null; // already there from an earlier run on this server directory
        }
    }

    /// <summary>An Npgsql connection string for <see cref="ConsumerUser"/> on a gateway at <paramref name="port"/>, no pooling.</summary>
    public static string ConsumerConnectionString(int port, string database = ConsumerProject, int timeoutSeconds = 60) =>
        $"Host=127.0.0.1;Port={port};Username={ConsumerUser};Password={ConsumerPassword};"
        + $"Database={database};SSL Mode=Disable;Pooling=false;Timeout={timeoutSeconds};Command Timeout=0";

    /// <summary>Stops a child started by <see cref="Spawn"/> (it exits when its stdin closes), killing it after <paramref name="grace"/>.</summary>
    public static void Stop(Process process, TimeSpan grace)
    {
        process.StandardInput.Close();
        if (!process.WaitForExit(grace)) process.Kill(entireProcessTree: true);
        process.Dispose();
    }

    /// <summary>`serve PARQUET SERVERDIR THREADS`: runs the gateway until stdin closes; prints its port first.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var (engine, server, _) = Start(args[0], args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
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
