using DataMesh.Gateway.Engine.Execution;

namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// Keeps one pooled instance alive: the pool never disposes an instance while a lease on it is live, even after
/// the instance was superseded by a new fingerprint or pushed beyond capacity. Disposing the lease releases it.
/// Every session opened from a lease holds a lease of its own, so a session outlives the lease it came from and
/// keeps the instance open until the session itself is disposed.
/// </summary>
public sealed class EngineLease : IDisposable
{
    private readonly EngineInstances _pool;
    private readonly PooledInstance _entry;
    private int _released;

    internal EngineLease(EngineInstances pool, PooledInstance entry)
    {
        _pool = pool;
        _entry = entry;
    }

    public string Key => _entry.Key;

    /// <summary>The fingerprint of the spec the instance was built from, which may be older than the pool's current one.</summary>
    public string Fingerprint => _entry.Fingerprint;

    /// <summary>A new connection to the instance. The session owns it and its own lease; dispose the session.</summary>
    public EngineSession OpenSession()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) != 0, this);
        var sessionLease = _pool.AddLease(_entry);
        try
        {
            var instance = _entry.Instance;
            return new EngineSession(instance.OpenConnection(), sessionLease, instance.Workspace, instance.TempDirectory);
        }
        catch
        {
            sessionLease.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _pool.Release(_entry);
    }
}
