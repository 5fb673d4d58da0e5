using DataMesh.Gateway.Storage.Accounts;
using DataMesh.Gateway.Storage.Caching;
using DataMesh.Gateway.Storage.Objects;

namespace DataMesh.Gateway.Storage;

/// <summary>
/// The gateway's object storage, wired once per process: the storage key that seals account secrets, credentials,
/// one S3 client per account, requests with retries, Parquet footers read with ranged GETs, and the local cache the
/// engine reads fetched objects from.
/// </summary>
public sealed class ObjectStorage : IDisposable
{
    private readonly S3ClientPool _clients;

    public ObjectStorage(StorageOptions options, string dataDirectory, TimeProvider? time = null, Func<string, string?>? environment = null)
    {
        Options = options;
        Secrets = new SecretBox(dataDirectory, environment);
        Credentials = new AccountCredentials(Secrets, options.CredentialFiles, environment);
        _clients = new S3ClientPool(Credentials, options.RequestTimeout);
        Retry = new StorageRetry(options, time ?? TimeProvider.System);
        Store = new ObjectStore(_clients, Retry);
        Cache = new ObjectCache(options);
        Footers = new ParquetFooters(Store, Path.Combine(Path.GetFullPath(options.CacheDirectory), "footers"));
    }

    public StorageOptions Options { get; }
    public SecretBox Secrets { get; }
    public AccountCredentials Credentials { get; }
    public StorageRetry Retry { get; }
    public ObjectStore Store { get; }
    public ObjectCache Cache { get; }
    public ParquetFooters Footers { get; }

    /// <summary>The default cache directory of a data directory: private to the gateway, apart from engine spill files.</summary>
    public static string DefaultCacheDirectory(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "tmp", "objects");

    public void Dispose()
    {
        Cache.Dispose();
        _clients.Dispose();
    }
}
