namespace DataMesh.Gateway.Cli;

/// <summary>A verb and its --options. Options map onto <see cref="Configuration.GatewaySettings"/> keys.</summary>
public sealed record CommandLine(string Verb, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Options)
{
    private static readonly Dictionary<string, string> OptionKeys = new(StringComparer.Ordinal)
    {
        ["--listen"] = "Listen",
        ["--data-dir"] = "DataDir",
        ["--catalog"] = "Catalog",
        ["--tls-cert"] = "TlsCert",
        ["--tls-key"] = "TlsKey",
        ["--tls"] = "Tls",
        ["--demo"] = "Demo",
        ["--password"] = "Password",
        ["--log-format"] = "LogFormat",
        ["--max-connections"] = "MaxConnections",
        ["--domain-admin"] = "DomainAdmin",
        ["--metrics-listen"] = "MetricsListen",
        ["--web-listen"] = "WebListen",
        ["--user"] = "User",
        ["--groups"] = "Groups",
        ["--claims"] = "Claims",
        ["--ttl"] = "Ttl",
        ["--from"] = "From",
        ["--to"] = "To",
        ["--replace"] = "Replace",
    };

    private static readonly HashSet<string> Flags = ["--tls", "--demo", "--domain-admin", "--replace"];

    public static CommandLine Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help") return new CommandLine("help", [], new Dictionary<string, string?>());
        var verb = args[0];
        var arguments = new List<string>();
        var options = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                arguments.Add(arg);
                continue;
            }
            var eq = arg.IndexOf('=');
            var name = eq > 0 ? arg[..eq] : arg;
            if (!OptionKeys.TryGetValue(name, out var key)) throw new ArgumentException($"unknown option {name}");
            if (eq > 0) options[key] = arg[(eq + 1)..];
            else if (Flags.Contains(name)) options[key] = "true";
            else if (i + 1 < args.Length) options[key] = args[++i];
            else throw new ArgumentException($"option {name} needs a value");
        }
        return new CommandLine(verb, arguments, options);
    }

    public const string Usage = """
        datamesh — the DataMesh Gateway, a PostgreSQL-protocol gateway over DuckDB

        Usage:
          datamesh serve [--listen 127.0.0.1:5433] [--data-dir ./.datamesh] [--demo]
                         [--catalog postgresql://USER@HOST:PORT/DATABASE]   (a catalog shared by several nodes;
                          password from DATAMESH_CATALOG_PASSWORD or DATAMESH_CATALOG_PASSWORD_FILE)
                         [--tls | --tls-cert server.crt --tls-key server.key] [--metrics-listen 127.0.0.1:9187]
                         [--web-listen 127.0.0.1:8443]   (the data portal: HTTPS with the gateway's certificate)
          datamesh health [--metrics-listen 127.0.0.1:9187]
                         (exit 0 when the gateway's /health answers ready)
          datamesh user add NAME [--password SECRET] [--domain-admin] [--data-dir DIR] [--catalog …]
                         (reads the password from stdin if not given; --domain-admin bootstraps the first admin)
          datamesh catalog migrate --from sqlite:PATH --to postgresql://USER@HOST:PORT/DATABASE [--replace]
                         (copies an embedded catalog whole into PostgreSQL, in one transaction; an empty target
                          only, unless --replace; password from DATAMESH_CATALOG_PASSWORD(_FILE))
          datamesh dev-token --data-dir DIR --user NAME [--groups g1,g2] [--claims k=v,…] [--ttl 1h]
                         (demo data directories only: prints a token of the demo identity provider; last line = token)
          datamesh help

        Settings also come from appsettings.json and DATAMESH_* environment variables
        (DATAMESH_LISTEN, DATAMESH_DATADIR, DATAMESH_WEBLISTEN, DATAMESH_MAXCONNECTIONS, …).
        """;
}
