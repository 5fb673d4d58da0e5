using System.Collections.Concurrent;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace DataMesh.Gateway.Storage.Accounts;

/// <summary>
/// One S3 client per account, rebuilt when the account's connection or credentials change (ALTER ACCOUNT … SET
/// CREDENTIALS, a rotated credentials file). The SDK's own retries are off: <see cref="Objects.StorageRetry"/> retries
/// with the gateway's backoff and classification. Checksums only when the operation requires them and no chunked
/// uploads, so S3-compatible stores that lack those extensions (s3rver, older MinIO) work.
/// </summary>
public sealed class S3ClientPool(AccountCredentials credentials, TimeSpan requestTimeout) : IDisposable
{
    private readonly ConcurrentDictionary<string, (string Version, IAmazonS3 Client)> _clients = new(StringComparer.Ordinal);

    public IAmazonS3 For(S3Account account)
    {
        var version = $"{account.Connection}|{credentials.FileVersion(account):O}";
        if (_clients.TryGetValue(account.Name, out var cached) && cached.Version == version) return cached.Client;
        var client = Create(account);
        // A replaced client may still serve a request in flight: it is left to the collector, not disposed here.
        _clients[account.Name] = (version, client);
        return client;
    }

    private AmazonS3Client Create(S3Account account)
    {
        var c = account.Connection;
        var config = new AmazonS3Config
        {
            ForcePathStyle = c.UrlStyle == UrlStyle.Path,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
            Timeout = requestTimeout,
        };
        if (c.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = c.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(c.Region);
        }
        return new AmazonS3Client(credentials.For(account), config);
    }

    public void Dispose()
    {
        foreach (var (_, client) in _clients.Values) client.Dispose();
        _clients.Clear();
    }
}
