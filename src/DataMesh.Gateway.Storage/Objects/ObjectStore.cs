using Amazon.S3;
using Amazon.S3.Model;
using DataMesh.Gateway.Storage.Accounts;

namespace DataMesh.Gateway.Storage.Objects;

/// <summary>One object as listed: its key, its ETag (as the store quotes it) and its size.</summary>
public sealed record ObjectVersion(string Key, string ETag, long Size);

/// <summary>
/// The S3 requests the gateway makes, each through <see cref="StorageRetry"/>: list a pattern's objects, read an
/// object's last bytes (a Parquet footer), download an object only while it still carries a given ETag, upload a file.
/// Every fault surfaces as an <see cref="ObjectStoreException"/> naming the account.
/// </summary>
public sealed class ObjectStore(S3ClientPool clients, StorageRetry retry)
{
    /// <summary>The objects <paramref name="pattern"/> matches, sorted by key; more than <paramref name="limit"/> is an error.</summary>
    public async Task<IReadOnlyList<ObjectVersion>> ListAsync(S3Account account, ObjectPattern pattern, int limit, CancellationToken cancel = default)
    {
        var client = clients.For(account);
        var found = new List<ObjectVersion>();
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = pattern.Bucket, Prefix = pattern.ListPrefix, ContinuationToken = token, MaxKeys = 1000 };
            var page = await retry.RunAsync(account.Name, c => client.ListObjectsV2Async(request, c), cancel).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
            {
                // Defence in depth: whatever the store returns, nothing outside the account's location is taken.
                if (!account.Location.Contains(o.Key) || !pattern.Matches(o.Key) || o.Key.EndsWith('/')) continue;
                if (found.Count == limit)
                    throw new ObjectStoreException(StoreFault.Other, account.Name, $"the source matches more than {limit} objects");
                found.Add(new ObjectVersion(o.Key, o.ETag, o.Size ?? 0));
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        found.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return found;
    }

    /// <summary>Checks that the credentials work and the bucket exists: lists one key under the account's prefix.</summary>
    public Task CheckAccessAsync(S3Account account, CancellationToken cancel = default)
    {
        var client = clients.For(account);
        var request = new ListObjectsV2Request { BucketName = account.Location.Bucket, Prefix = account.Location.Prefix, MaxKeys = 1 };
        return retry.RunAsync(account.Name, c => client.ListObjectsV2Async(request, c), cancel);
    }

    /// <summary>The last <paramref name="count"/> bytes of an object of the pinned ETag (a ranged GET).</summary>
    public async Task<byte[]> ReadTailAsync(S3Account account, string bucket, ObjectVersion obj, int count, CancellationToken cancel = default)
    {
        var client = clients.For(account);
        var start = Math.Max(0, obj.Size - count);
        var request = new GetObjectRequest { BucketName = bucket, Key = obj.Key, EtagToMatch = obj.ETag, ByteRange = new ByteRange(start, obj.Size - 1) };
        return await retry.RunAsync(account.Name, async c =>
        {
            using var response = await client.GetObjectAsync(request, c).ConfigureAwait(false);
            var buffer = new byte[obj.Size - start];
            await response.ResponseStream.ReadExactlyAsync(buffer, c).ConfigureAwait(false);
            return buffer;
        }, cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads an object into <paramref name="path"/> only if it still carries the pinned ETag (If-Match: a changed
    /// object fails with <see cref="StoreFault.ObjectChanged"/>) and has the pinned size.
    /// </summary>
    public Task DownloadAsync(S3Account account, string bucket, ObjectVersion obj, string path, CancellationToken cancel = default)
    {
        var client = clients.For(account);
        return retry.RunAsync(account.Name, async c =>
        {
            var request = new GetObjectRequest { BucketName = bucket, Key = obj.Key, EtagToMatch = obj.ETag };
            using var response = await client.GetObjectAsync(request, c).ConfigureAwait(false);
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
                await response.ResponseStream.CopyToAsync(file, 1 << 20, c).ConfigureAwait(false);
            if (new FileInfo(path).Length != obj.Size)
                throw new ObjectStoreException(StoreFault.ObjectChanged, account.Name, $"an object of account \"{account.Name}\" changed (size)");
            return true;
        }, cancel);
    }

    /// <summary>Uploads a local file as <paramref name="key"/>; returns the object as stored.</summary>
    public async Task<ObjectVersion> UploadAsync(S3Account account, string key, string file, CancellationToken cancel = default)
    {
        var client = clients.For(account);
        var size = new FileInfo(file).Length;
        var response = await retry.RunAsync(account.Name, c => client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = account.Location.Bucket,
            Key = key,
            FilePath = file,
            UseChunkEncoding = false,
            ContentType = "application/vnd.apache.parquet",
        }, c), cancel).ConfigureAwait(false);
        return new ObjectVersion(key, response.ETag, size);
    }
}
