using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using DataMesh.Gateway.Storage.Objects;

namespace DataMesh.Gateway.Storage.Caching;

/// <summary>One object as the cache knows it: where it lives and the version (ETag) pinned.</summary>
public sealed record CachedObject(string Bucket, ObjectVersion Version);

/// <summary>
/// Objects fetched from object stores, as local files for the engine to read, keyed by bucket, key and ETag (a
/// changed object is another entry, never an overwrite). Bounded: past <see cref="StorageOptions.CacheBytes"/> the
/// least recently used files that no query holds are deleted. A query holds its files with a <see cref="CacheLease"/>
/// from before it is prepared until its result is closed. One download per object at a time (others wait for it),
/// at most <see cref="StorageOptions.MaxConcurrentDownloads"/> in all and
/// <see cref="StorageOptions.MaxConcurrentDownloadsPerProject"/> per project. The directory is the gateway's alone
/// (0700); no engine instance allows it as a directory, only the exact files of its grants.
/// </summary>
public sealed class ObjectCache : IDisposable
{
    private sealed class Entry(long size, long lastUse)
    {
        public long Size { get; } = size;
        public long LastUse { get; set; } = lastUse;
        public int Leases { get; set; }
    }

    private readonly StorageOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task>> _inflight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _perProject = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _downloads;
    private long _clock, _bytes, _hits, _misses;

    public ObjectCache(StorageOptions options)
    {
        _options = options;
        Directory = Path.Combine(Path.GetFullPath(options.CacheDirectory), "objects");
        _downloads = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentDownloads));
        CreatePrivate(Path.GetFullPath(options.CacheDirectory));
        CreatePrivate(Directory);
        Load();
    }

    public string Directory { get; }
    public long Bytes => Interlocked.Read(ref _bytes);
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The file an object version is (or will be) cached in: a hash of bucket, key and ETag.</summary>
    public string PathFor(string bucket, ObjectVersion version)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{bucket}\n{version.Key}\n{version.ETag}"));
        return Path.Combine(Directory, Convert.ToHexString(hash, 0, 20).ToLowerInvariant() + ".parquet");
    }

    /// <summary>
    /// Holds every object, fetching the missing ones with <paramref name="fetch"/> (into a temporary file that is
    /// renamed into place when complete). On any failure nothing stays held and the fault is thrown.
    /// </summary>
    public async Task<CacheLease> AcquireAsync(string project, IReadOnlyList<CachedObject> objects,
        Func<CachedObject, string, CancellationToken, Task> fetch, CancellationToken cancel = default)
    {
        var held = new List<string>(objects.Count);
        try
        {
            foreach (var o in objects)
            {
                var path = PathFor(o.Bucket, o.Version);
                while (!TryHold(path))
                {
                    Interlocked.Increment(ref _misses);
                    // The download is shared by every query that needs the object: one query's cancel stops its own
                    // wait, not the download the others wait for (each request is bounded by its timeout).
                    var download = _inflight.GetOrAdd(path, p => new Lazy<Task>(() => DownloadAsync(project, o, p, fetch)));
                    try
                    {
                        await download.Value.WaitAsync(cancel).ConfigureAwait(false);
                    }
                    finally
                    {
                        _inflight.TryRemove(new KeyValuePair<string, Lazy<Task>>(path, download));
                    }
                }
                held.Add(path);
            }
        }
        catch
        {
            Release(held);
            throw;
        }
        Evict();
        return new CacheLease(this, held);
    }

    internal void Release(IReadOnlyList<string> paths)
    {
        lock (_gate)
        {
            foreach (var path in paths)
                if (_entries.TryGetValue(path, out var entry)) entry.Leases--;
        }
        Evict();
    }

    private bool TryHold(string path)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(path, out var entry)) return false;
            if (entry.Leases == 0 && !File.Exists(path))
            {
                _entries.Remove(path);
                Interlocked.Add(ref _bytes, -entry.Size);
                return false;
            }
            entry.Leases++;
            entry.LastUse = ++_clock;
            Interlocked.Increment(ref _hits);
            return true;
        }
    }

    private async Task DownloadAsync(string project, CachedObject o, string path, Func<CachedObject, string, CancellationToken, Task> fetch)
    {
        var cancel = CancellationToken.None;
        var mine = _perProject.GetOrAdd(project, _ => new SemaphoreSlim(Math.Max(1, _options.MaxConcurrentDownloadsPerProject)));
        await mine.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            await _downloads.WaitAsync(cancel).ConfigureAwait(false);
            var part = path + ".part-" + Guid.NewGuid().ToString("N");
            try
            {
                await fetch(o, part, cancel).ConfigureAwait(false);
                File.Move(part, path, overwrite: true);
            }
            finally
            {
                _downloads.Release();
                if (File.Exists(part)) File.Delete(part);
            }
            lock (_gate)
            {
                if (_entries.ContainsKey(path)) return;
                _entries[path] = new Entry(new FileInfo(path).Length, ++_clock);
                Interlocked.Add(ref _bytes, _entries[path].Size);
            }
        }
        finally
        {
            mine.Release();
        }
    }

    /// <summary>Deletes least recently used files no query holds until the cache is within its limit.</summary>
    private void Evict()
    {
        lock (_gate)
        {
            if (Interlocked.Read(ref _bytes) <= _options.CacheBytes) return;
            foreach (var (path, entry) in _entries.Where(e => e.Value.Leases == 0).OrderBy(e => e.Value.LastUse).ToList())
            {
                if (Interlocked.Read(ref _bytes) <= _options.CacheBytes) break;
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                    continue;
                }
                _entries.Remove(path);
                Interlocked.Add(ref _bytes, -entry.Size);
            }
        }
    }

    /// <summary>What an earlier run left: complete files are entries again (oldest first), partial ones are removed.</summary>
    private void Load()
    {
        foreach (var part in System.IO.Directory.EnumerateFiles(Directory, "*.part-*")) File.Delete(part);
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*.parquet").OrderBy(f => f.LastWriteTimeUtc))
        {
            _entries[file.FullName] = new Entry(file.Length, ++_clock);
            _bytes += file.Length;
        }
        Evict();
    }

    private static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(path);
        else System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose()
    {
        _downloads.Dispose();
        foreach (var s in _perProject.Values) s.Dispose();
    }
}

/// <summary>Files held for one query: none of them is evicted until the lease is disposed (once).</summary>
public sealed class CacheLease(ObjectCache cache, IReadOnlyList<string> paths) : IDisposable
{
    private int _disposed;

    public IReadOnlyList<string> Paths { get; } = paths;

    public static CacheLease None { get; } = new(null!, []);

    public void Dispose()
    {
        if (Paths.Count == 0 || Interlocked.Exchange(ref _disposed, 1) == 1) return;
        cache.Release(Paths);
    }
}
