using DataMesh.Gateway.Storage;
using DataMesh.Gateway.Storage.Caching;
using DataMesh.Gateway.Storage.Objects;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>The object cache on its own: keyed by ETag, bounded with LRU eviction that spares held files, one
/// download per object however many queries wait for it, nothing left behind by a failed download.</summary>
public sealed class ObjectCacheTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "cache-" + Guid.NewGuid().ToString("N"));
    private int _fetches;

    private ObjectCache Cache(long bytes) => new(new StorageOptions { CacheDirectory = _dir, CacheBytes = bytes });

    private static CachedObject Obj(string key, string etag = "\"e1\"", long size = 100) => new("lake", new ObjectVersion(key, etag, size));

    private async Task Fetch(CachedObject o, string path, CancellationToken cancel)
    {
        Interlocked.Increment(ref _fetches);
        await Task.Delay(50, cancel);
        await File.WriteAllBytesAsync(path, new byte[o.Version.Size], cancel);
    }

    [Fact]
    public async Task Least_recently_used_files_that_no_query_holds_are_evicted_past_the_limit()
    {
        using var cache = Cache(350); // room for three objects of 100 bytes
        using (var a = await cache.AcquireAsync("p", [Obj("a")], Fetch)) { }
        using var held = await cache.AcquireAsync("p", [Obj("b")], Fetch);
        using (var c = await cache.AcquireAsync("p", [Obj("c")], Fetch)) { }
        using (var a = await cache.AcquireAsync("p", [Obj("a")], Fetch)) { } // a is now more recent than c
        using (var d = await cache.AcquireAsync("p", [Obj("d")], Fetch)) { }
        Assert.True(File.Exists(cache.PathFor("lake", Obj("b").Version)), "a held file is never evicted");
        Assert.False(File.Exists(cache.PathFor("lake", Obj("c").Version)), "the least recently used free file goes first");
        Assert.True(File.Exists(cache.PathFor("lake", Obj("a").Version)));
        Assert.True(cache.Bytes <= 350);
        Assert.Equal(4, _fetches);
    }

    [Fact]
    public async Task A_changed_etag_is_another_entry_and_concurrent_readers_share_one_download()
    {
        using var cache = Cache(10_000);
        Assert.NotEqual(cache.PathFor("lake", Obj("a", "\"e1\"").Version), cache.PathFor("lake", Obj("a", "\"e2\"").Version));
        var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.AcquireAsync("p", [Obj("x")], Fetch)));
        Assert.Equal(1, _fetches);
        foreach (var l in leases) l.Dispose();
    }

    [Fact]
    public async Task A_failed_download_leaves_no_file_and_holds_nothing()
    {
        using var cache = Cache(10_000);
        await Assert.ThrowsAsync<ObjectStoreException>(() => cache.AcquireAsync("p", [Obj("ok"), Obj("bad")], async (o, path, c) =>
        {
            await File.WriteAllTextAsync(path, "partial", c);
            if (o.Version.Key == "bad") throw new ObjectStoreException(StoreFault.ObjectMissing, "acct", "gone");
        }));
        Assert.Empty(Directory.GetFiles(cache.Directory, "*.part-*"));
        Assert.False(File.Exists(cache.PathFor("lake", Obj("bad").Version)));
        // "ok" was released when "bad" failed: a tiny limit now evicts it.
        using var small = Cache(1);
        Assert.Empty(Directory.GetFiles(small.Directory, "*.parquet"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
