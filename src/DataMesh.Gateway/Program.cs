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
        using (var catalog = DataMesh.Gateway.Admin.AdminCatalog.Open(settings.DataDir)) catalog.SetUser(name, password, domainAdmin);
        Console.WriteLine($"user \"{name}\"{(domainAdmin ? " (domain admin)" : "")} stored with a SCRAM-SHA-256 verifier in {DataMesh.Gateway.Admin.AdminCatalog.CatalogPath(settings.DataDir)}");
        return 0;
    }
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

static async Task<int> Serve(GatewaySettings settings)
{
    using var loggers = LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(Enum.TryParse<LogLevel>(settings.LogLevel, true, out var level) ? level : LogLevel.Information);
        if (settings.LogFormat.Equals("json", StringComparison.OrdinalIgnoreCase)) builder.AddJsonConsole(o => o.TimestampFormat = "O");
        else builder.AddSimpleConsole(o => o.SingleLine = true);
    });
    var logger = loggers.CreateLogger("DataMesh.Gateway");
    var seed = Path.Combine(AppContext.BaseDirectory, "catalog-seed");

    await using var host = GatewayHost.Start(settings, loggers, seed);
    if (settings.Demo)
    {
        Console.Error.WriteLine($"""

            DataMesh Gateway demo is listening on {host.EndPoint}.
              psql "host={host.EndPoint.Address} port={host.EndPoint.Port} user=alice dbname=marketing"   (password: alice)
            Demo users (password = user name, demo only): carol, alice, bob, dave.
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
