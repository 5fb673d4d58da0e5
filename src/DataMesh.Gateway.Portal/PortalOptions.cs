using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace DataMesh.Gateway.Portal;

/// <summary>Where the portal listens and how long its sessions live.</summary>
public sealed class PortalOptions
{
    public required IPEndPoint Listen { get; init; }

    /// <summary>The gateway's certificate: the portal is HTTPS-only when one is configured, plain HTTP (loopback only) otherwise.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>A session unused for this long is signed out.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>No session lives longer than this, however active (and never past its identity token's expiry).</summary>
    public TimeSpan MaxSessionLifetime { get; init; } = TimeSpan.FromHours(8);

    /// <summary>Sessions kept at most; past it the least recently used are signed out.</summary>
    public int MaxSessions { get; init; } = 10_000;

    /// <summary>The query editor's grid shows this many rows of a result (the rest are counted).</summary>
    public int GridRows { get; init; } = 1000;

    /// <summary>A download (CSV, Parquet) stops with an error past this many rows.</summary>
    public long MaxDownloadRows { get; init; } = 1_000_000;

    /// <summary>Where Parquet downloads are staged (a private directory in the data directory).</summary>
    public required string ExportDirectory { get; init; }

    public bool Https => Certificate is not null;
}
