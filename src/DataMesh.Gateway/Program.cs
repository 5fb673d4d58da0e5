using System.Runtime.InteropServices;
using DataMesh.Gateway;
using DataMesh.Gateway.Cli;
using DataMesh.Gateway.Configuration;
using Microsoft.Extensions.Logging;

CommandLine command;
try
{
    command = CommandLine.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

var settings = GatewaySettings.Load(command.Options, AppContext.BaseDirectory);
switch (command.Verb)
{
    case "serve":
        return await Serve(settings);
    case "user" when command.Arguments is ["add", var name]:
    {
        var password = command.Options.TryGetValue("Password", out var p) && p is not null ? p : Console.In.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("a password is required (--password or one line on stdin)");
            return 2;
        }
        var domainAdmin = command.Options.ContainsKey("DomainAdmin");
        using (var catalog = DataMesh.Gateway.Admin.AdminCatalog.Open(settings.DataDir, GatewayHost.OpenCatalogStore(settings, Path.GetFullPath(settings.DataDir))))
            catalog.SetUser(name, password, domainAdmin);
        var where = DataMesh.Gateway.Catalog.Postgres.CatalogLocation.IsPostgres(settings.Catalog)
            ? "the PostgreSQL catalog"
            : DataMesh.Gateway.Admin.AdminCatalog.CatalogPath(settings.DataDir);
        Console.WriteLine($"user \"{name}\"{(domainAdmin ? " (domain admin)" : "")} stored with a SCRAM-SHA-256 verifier in {where}");
        return 0;
    }
    case "catalog" when command.Arguments is ["migrate"]:
        return CatalogMigrateCommand.Run(command);
    case "dev-token":
        return DevToken(command, settings);
    case "health":
        return await DataMesh.Gateway.Observability.HealthCheck.RunAsync(settings.MetricsListen);
    case "help":
        Console.WriteLine(CommandLine.Usage);
        return 0;
    default:
        Console.Error.WriteLine($"unknown command: {string.Join(' ', args)}");
        Console.Error.WriteLine(CommandLine.Usage);
        return 2;
}

// Prints a token signed by the demo identity provider's key; the last line of the output is the token alone.
static int DevToken(CommandLine command, GatewaySettings settings)
{
    if (!command.Options.TryGetValue("User", out var user) || string.IsNullOrEmpty(user))
    {
        Console.Error.WriteLine("dev-token needs --user NAME");
        return 2;
    }
    var groups = command.Options.TryGetValue("Groups", out var g) && !string.IsNullOrEmpty(g)
        ? g.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    var claims = new Dictionary<string, string>(StringComparer.Ordinal);
    if (command.Options.TryGetValue("Claims", out var c) && !string.IsNullOrEmpty(c))
        foreach (var pair in c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            claims[pair.Split('=', 2)[0]] = pair.Contains('=') ? pair.Split('=', 2)[1] : "";
    TimeSpan ttl;
    try
    {
        ttl = DataMesh.Gateway.Demo.DemoIdentity.ParseLifetime(command.Options.TryGetValue("Ttl", out var t) && !string.IsNullOrEmpty(t) ? t : "1h");
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
    var dataDirectory = Path.GetFullPath(settings.DataDir);
    if (!DataMesh.Gateway.Demo.DemoIdentity.IsDemoDirectory(dataDirectory))
    {
        Console.Error.WriteLine($"{dataDirectory} is not a demo data directory (run `datamesh serve --demo --data-dir {settings.DataDir}` first); dev-token only signs tokens for the demo");
        return 2;
    }
    Console.Error.WriteLine($"demo identity token for {user} (groups: {(groups.Length > 0 ? string.Join(", ", groups) : "none")}), valid {ttl}; demo only");
    Console.WriteLine(DataMesh.Gateway.Demo.DemoIdentity.Mint(dataDirectory, user, groups, ttl, claims));
    return 0;
}

static async Task<int> Serve(GatewaySettings settings)
{
    using var loggers = LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(Enum.TryParse<LogLevel>(settings.LogLevel, true, out var level) ? level : LogLevel.Information);
        // The portal's generic host logs a failed start with the whole stack trace before rethrowing; the exception
        // reaches this program anyway (an address in use becomes one line on stderr, anything else a critical log).
        builder.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        if (settings.LogFormat.Equals("json", StringComparison.OrdinalIgnoreCase)) builder.AddJsonConsole(o => o.TimestampFormat = "O");
        else builder.AddSimpleConsole(o => o.SingleLine = true);
    });
    var logger = loggers.CreateLogger("DataMesh.Gateway");
    var seed = Path.Combine(AppContext.BaseDirectory, "catalog-seed");

    // The port opens at once; sessions get 57P03 until the catalog is loaded (host.Ready).
    GatewayHost launched;
    try
    {
        launched = GatewayHost.Launch(settings, loggers, seed);
    }
    catch (ListenAddressInUseException e)
    {
        Console.Error.WriteLine("datamesh: " + e.Message);
        return 2;
    }
    await using var host = launched;
    try
    {
        await host.Ready;
    }
    catch (Exception e)
    {
        logger.LogCritical(e, "Start-up failed");
        return 1;
    }
    if (settings.Demo)
    {
        Console.Error.WriteLine($"""

            DataMesh Gateway demo is listening on {host.EndPoint}.
              psql "host={host.EndPoint.Address} port={host.EndPoint.Port} user=alice dbname=marketing"   (password: alice)
            Demo users (password = user name, demo only): carol, alice, bob, dave.
            Identity tokens of the demo identity provider (over TLS: add --tls):
              PGPASSWORD=$(./datamesh dev-token --data-dir {host.DataDirectory} --user erin --groups analysts | tail -n 1) psql "host={host.EndPoint.Address} port={host.EndPoint.Port} sslmode=require user=erin dbname=ml_research"
            {(host.Portal is { } portal ? $"The data portal: {portal.Url}  (sign in as alice / alice, bob / bob{(portal.Https ? "; the demo certificate is self-signed" : "")})" : "The data portal: add --web-listen 127.0.0.1:8443 (with --tls for HTTPS)")}
            Data directory: {host.DataDirectory}

            """);
    }

    var stop = new TaskCompletionSource();
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.TrySetResult(); });
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.TrySetResult(); });
    await stop.Task;
    logger.LogInformation("Stop signal received");
    return 0;
}

// Internal, as top-level programs are: referencing ASP.NET Core (the portal) would otherwise make the generated
// Program class public, and it would clash with the Program classes of the tools that reference this assembly.
internal partial class Program;
