using Microsoft.Extensions.Configuration;

namespace DataMesh.Gateway.Configuration;

/// <summary>
/// Settings from appsettings.json, then DATAMESH_* environment variables (DATAMESH_LISTEN, DATAMESH_DATADIR, …),
/// then command-line options, later sources winning.
/// </summary>
public sealed class GatewaySettings
{
    public string Listen { get; set; } = "127.0.0.1:5433";
    public string DataDir { get; set; } = "./.datamesh";

    /// <summary>
    /// Where the catalog lives: empty for the embedded SQLite file in the data directory, or a PostgreSQL catalog that
    /// several gateway nodes share (postgresql://USER@HOST:PORT/DATABASE or a connection string; see CatalogLocation).
    /// </summary>
    public string? Catalog { get; set; }
    public string? TlsCert { get; set; }
    public string? TlsKey { get; set; }
    public bool Tls { get; set; }
    public bool Demo { get; set; }
    public bool CleartextPasswordOverTls { get; set; }
    /// <summary>Signed-in sessions at once; sockets still signing in have their own budget.</summary>
    public int MaxConnections { get; set; } = 256;

    /// <summary>Sockets not signed in yet, at once; when full, the oldest of the busiest address is dropped.</summary>
    public int MaxUnauthenticatedConnections { get; set; } = 64;

    /// <summary>Sessions per user and per client address (0: no limit but MaxConnections).</summary>
    public int MaxSessionsPerUser { get; set; } = 64;
    public int MaxSessionsPerAddress { get; set; } = 128;

    /// <summary>Open SQL cursors (DECLARE) one session may hold at once; each holds an engine connection of its own.</summary>
    public int MaxCursorsPerSession { get; set; } = 16;

    /// <summary>Seconds a new socket has to send its startup packet (TLS handshake included).</summary>
    public double StartupTimeoutSeconds { get; set; } = 10;
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;
    public int MaxResultRowBytes { get; set; } = 64 * 1024 * 1024;
    public double StatementTimeoutSeconds { get; set; }
    public double IdleSessionTimeoutSeconds { get; set; }
    public double AuthenticationTimeoutSeconds { get; set; } = 30;

    /// <summary>Failed logins from one address before the next attempts wait; then the wait doubles per failure.</summary>
    public int LoginFreeFailures { get; set; } = 3;
    public double LoginBaseDelaySeconds { get; set; } = 0.5;
    public double LoginMaxDelaySeconds { get; set; } = 10;
    public double ShutdownGraceSeconds { get; set; } = 10;
    public string MemoryLimit { get; set; } = "4GB";
    public int Threads { get; set; }

    /// <summary>How often the catalog follows its change log for other processes' writes (seconds; 0: never).</summary>
    public double CatalogFollowSeconds { get; set; } = 1;

    /// <summary>
    /// A shared PostgreSQL catalog: follow its change announcements (LISTEN) besides polling. Off only where LISTEN
    /// cannot work, such as behind a transaction-pooling proxy (then changes arrive by polling, every CatalogFollowSeconds).
    /// </summary>
    public bool CatalogListen { get; set; } = true;

    /// <summary>After the change channel dropped: seconds between attempts to LISTEN again (polling meanwhile).</summary>
    public double CatalogListenRetrySeconds { get; set; } = 5;

    /// <summary>
    /// A shared catalog that stops answering: new sessions are refused with 57P03 at once, open ones keep running under
    /// the last snapshot for at most this many seconds since the catalog last answered, then end with FATAL 57P03.
    /// </summary>
    public double CatalogMaxStalenessSeconds { get; set; } = 30;

    /// <summary>Load every project's assets and grants in the background after start-up (otherwise on first use only).</summary>
    public bool CatalogPreload { get; set; } = true;
    public string LogFormat { get; set; } = "json";
    public string LogLevel { get; set; } = "Information";

    /// <summary>Trusted identity providers (OIDC tokens as passwords); <c>serve --demo</c> adds its own demo issuer.</summary>
    public IdentitySettings Identity { get; set; } = new();

    /// <summary>host:port of the data portal (the mesh in a web browser); empty: off. HTTPS when the gateway has a certificate;
    /// without one only a loopback address is allowed.</summary>
    public string? WebListen { get; set; }

    /// <summary>Minutes a portal session may stay unused before it is signed out.</summary>
    public double PortalIdleMinutes { get; set; } = 30;

    /// <summary>Hours a portal session lives at most.</summary>
    public double PortalSessionHours { get; set; } = 8;

    /// <summary>The most rows a portal download (CSV, Parquet) carries.</summary>
    public long PortalMaxDownloadRows { get; set; } = 1_000_000;

    /// <summary>Accounts on object stores: the object cache, retries, credentials files.</summary>
    public StorageSettings Storage { get; set; } = new();

    /// <summary>Project webhooks: retries, timeouts, which targets are allowed.</summary>
    public WebhookSettings Webhooks { get; set; } = new();

    /// <summary>host:port of the metrics and health endpoint (/metrics, /health); empty: off.</summary>
    public string? MetricsListen { get; set; }

    /// <summary>appsettings.json next to the binary, then one in the working directory, then env, then the command line.</summary>
    public static GatewaySettings Load(IReadOnlyDictionary<string, string?> commandLine, string baseDirectory, string? workingDirectory = null)
    {
        workingDirectory ??= Directory.GetCurrentDirectory();
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Path.GetFullPath(baseDirectory), "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(Path.GetFullPath(workingDirectory), "appsettings.json"), optional: true)
            .AddEnvironmentVariables("DATAMESH_")
            .AddInMemoryCollection(commandLine)
            .Build();
        var settings = new GatewaySettings();
        configuration.Bind(settings);
        return settings;
    }
}

/// <summary>
/// The "Identity" section: trusted identity providers whose tokens (JWTs) sign users in over TLS. Example:
/// <c>"Identity": { "Issuers": [ { "Issuer": "https://login.example.com", "Audiences": ["datamesh"],
/// "JwksUrl": "https://login.example.com/keys", "UserNameClaim": "email" } ] }</c>.
/// </summary>
public sealed class IdentitySettings
{
    public List<IssuerSettings> Issuers { get; set; } = [];
    public double ClockSkewSeconds { get; set; } = 60;

    /// <summary>How long a session may outlive its token's exp; 0 (the default): not at all.</summary>
    public double SessionGraceSeconds { get; set; }

    /// <summary>Offer SASL OAUTHBEARER (PostgreSQL 18 clients) instead of taking the token as the password.</summary>
    public bool SaslOAuthBearer { get; set; }
}

public sealed class IssuerSettings
{
    public string Issuer { get; set; } = "";
    public List<string> Audiences { get; set; } = [];
    public string? JwksFile { get; set; }
    public string? JwksUrl { get; set; }
    public double JwksCacheSeconds { get; set; } = 600;
    public double JwksMinimumRefreshSeconds { get; set; } = 30;
    public string UserNameClaim { get; set; } = "preferred_username";
    public string GroupsClaim { get; set; } = "groups";
    public Dictionary<string, string> GroupMap { get; set; } = new(StringComparer.Ordinal);
    public string? HmacSecret { get; set; }
}
