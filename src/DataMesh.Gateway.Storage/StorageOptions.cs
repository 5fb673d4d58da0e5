namespace DataMesh.Gateway.Storage;

/// <summary>The object-storage settings (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>Where fetched objects are kept for the engine to read (private to the gateway: mode 0700).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>The cache's size limit; least recently used objects not being read are evicted beyond it.</summary>
    public long CacheBytes { get; init; } = 10L << 30;

    /// <summary>Downloads in flight at once, for the whole gateway.</summary>
    public int MaxConcurrentDownloads { get; init; } = 8;

    /// <summary>Downloads in flight at once for one project, so that one project's cold reads cannot hold every slot.</summary>
    public int MaxConcurrentDownloadsPerProject { get; init; } = 3;

    /// <summary>Attempts of one request when the store answers with a transient error (throttling, 5xx, a refused connection).</summary>
    public int MaxAttempts { get; init; } = 4;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one request (a whole download of a large object counts as one).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Credentials files an account may name as <c>credentials = 'file:NAME'</c>: NAME → path.</summary>
    public IReadOnlyDictionary<string, string> CredentialFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// How long a query may rely on the last check that an asset's objects still carry their pinned ETags before it
    /// lists them again; zero (the default) lists them for every query, so a changed object is reported at once.
    /// </summary>
    public TimeSpan RevalidateAfter { get; init; } = TimeSpan.Zero;

    /// <summary>The most objects one asset may have.</summary>
    public int MaxObjectsPerAsset { get; init; } = 10_000;
}
