namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// A bounded pool of locked-down DuckDB instances, one per <see cref="EngineSpec.Key"/> (DuckDB's allow lists are
/// global to an instance, so each project needs its own).
/// <list type="bullet">
/// <item>The pool owns the instances; a lease (<see cref="EngineLease"/>) keeps one alive, and so does every session
/// opened from a lease. An instance is disposed only when it has left the pool and its last lease is released.</item>
/// <item>A spec whose fingerprint differs from the pooled one replaces it: new leases get the new instance, while
/// leases and sessions on the old one keep working until they are released.</item>
/// <item>Beyond <c>capacity</c>, the least recently acquired instance without a live lease is evicted. When every
/// instance is leased the pool stays over capacity instead of failing, and shrinks back as leases are released:
/// an open session is never broken to make room.</item>
/// </list>
/// Thread-safe. Instances are built outside the pool's lock; concurrent acquires of one new (key, fingerprint) wait
/// for a single build.
/// </summary>
public sealed class EngineInstances : IDisposable
{
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PooledInstance> _current = new(StringComparer.Ordinal);
    // Entries that left the pool unleased and are being disposed, so that a rebuild of the same key can wait for them.
    private readonly Dictionary<string, PooledInstance> _draining = new(StringComparer.Ordinal);
    private readonly InstanceTemplates _templates;
    private readonly InstanceStandbys _standbys;
    private long _clock;
    private bool _disposed;

    /// <param name="spares">How many spare databases with the pg_catalog emulation to keep built ahead
    /// (<see cref="InstanceTemplates"/>); 0 builds everything on demand.</param>
    /// <param name="standbys">How many standbys to keep for the next change of projects whose grants changed
    /// (<see cref="InstanceStandbys.PerProject"/> a project); 0: every change rebuilds from scratch.</param>
    public EngineInstances(int capacity, int spares = 1, int standbys = 4 * InstanceStandbys.PerProject)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _templates = new InstanceTemplates(spares);
        _standbys = new InstanceStandbys(standbys, _templates);
    }

    /// <summary>Builds that patched the project's standby instead of building its shadow catalog.</summary>
    public long FromStandby => _standbys.Used;

    /// <summary>The keys with an instance in the pool now.</summary>
    public IReadOnlyList<string> Keys
    {
        get { lock (_gate) return [.. _current.Keys]; }
    }

    /// <summary>Builds that started from a spare, and builds that ran the emulation themselves.</summary>
    public (long FromSpare, long OnDemand) TemplateUse => (_templates.Taken, _templates.BuiltOnDemand);

    /// <summary>Starts building spares for instances of these session settings, before the first session needs one.</summary>
    public void WarmSpares(IReadOnlyList<(string Name, string Boot, string Context, string Type)> settings) => _templates.Warm(settings);

    /// <summary>Instances currently handed out by the pool (superseded ones still leased are not counted).</summary>
    public int Count
    {
        get { lock (_gate) return _current.Count; }
    }

    /// <summary>A lease on the instance for <paramref name="spec"/>, built first if the pool has none for its key
    /// and fingerprint. A build failure (bad spec, workspace still held for writing) is thrown to every waiting caller
    /// and leaves no entry behind, so the next acquire tries again.</summary>
    public EngineLease Acquire(EngineSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var toDispose = new List<PooledInstance>();
        PooledInstance entry;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_current.TryGetValue(spec.Key, out var found) || found.Fingerprint != spec.Fingerprint)
            {
                var superseded = found;
                if (found is not null)
                {
                    _current.Remove(spec.Key);
                    RetireLocked(found, toDispose);
                }
                _draining.TryGetValue(spec.Key, out var predecessor);
                // A project whose grants changed is likely to change again: its builds use and leave a standby.
                var changed = superseded is not null || predecessor is not null;
                found = new PooledInstance(spec, predecessor, superseded is { Leases: > 0 } ? superseded : null, _templates,
                    changed ? _standbys.Take(spec.Key) : null, changed ? StandbyAfterBuild : null);
                _current.Add(spec.Key, found);
            }
            entry = found;
            entry.Leases++;
            entry.LastAcquired = ++_clock;
            EvictLocked(toDispose);
        }
        DisposeAll(toDispose);

        try
        {
            _ = entry.Instance;
        }
        catch
        {
            lock (_gate)
            {
                if (_current.TryGetValue(entry.Key, out var e) && e == entry) _current.Remove(entry.Key);
                entry.Retired = true;
            }
            Release(entry);
            throw;
        }
        return new EngineLease(this, entry);
    }

    // After a build of a changed project: its next change starts from a standby with this build's shadow catalog.
    private void StandbyAfterBuild(PooledInstance entry, EngineSpec spec, EngineInstance instance)
    {
        if (instance.FromStandby) _standbys.CountUse();
        lock (_gate)
            if (_disposed || entry.Retired) return;
        _standbys.Make(spec);
    }

    /// <summary>One more lease on an entry that already has one (a session opened from a lease).</summary>
    internal EngineLease AddLease(PooledInstance entry)
    {
        lock (_gate) entry.Leases++;
        return new EngineLease(this, entry);
    }

    internal void Release(PooledInstance entry)
    {
        var toDispose = new List<PooledInstance>();
        lock (_gate)
        {
            entry.Leases--;
            if (entry.Leases == 0)
            {
                if (entry.Retired) DrainLocked(entry, toDispose);
                else EvictLocked(toDispose); // a pool that went over capacity shrinks back here
            }
        }
        DisposeAll(toDispose);
    }

    /// <summary>Stops handing out instances. Unleased ones close now, leased ones when their last lease is released.</summary>
    public void Dispose()
    {
        var toDispose = new List<PooledInstance>();
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var entry in _current.Values) RetireLocked(entry, toDispose);
            _current.Clear();
        }
        DisposeAll(toDispose);
        _standbys.Dispose();
        _templates.Dispose();
    }

    private void RetireLocked(PooledInstance entry, List<PooledInstance> toDispose)
    {
        entry.Retired = true;
        if (entry.Leases == 0) DrainLocked(entry, toDispose);
    }

    private void EvictLocked(List<PooledInstance> toDispose)
    {
        while (_current.Count > _capacity)
        {
            PooledInstance? victim = null;
            foreach (var entry in _current.Values)
                if (entry.Leases == 0 && (victim is null || entry.LastAcquired < victim.LastAcquired)) victim = entry;
            if (victim is null) return; // every instance is leased: stay over capacity for now
            _current.Remove(victim.Key);
            _standbys.Drop(victim.Key);
            RetireLocked(victim, toDispose);
        }
    }

    private void DrainLocked(PooledInstance entry, List<PooledInstance> toDispose)
    {
        _draining[entry.Key] = entry;
        toDispose.Add(entry);
    }

    // Closing a database can take a while (a writable workspace checkpoints), so it happens outside the lock.
    private void DisposeAll(List<PooledInstance> entries)
    {
        foreach (var entry in entries)
        {
            entry.DisposeInstance();
            lock (_gate)
            {
                if (_draining.TryGetValue(entry.Key, out var e) && e == entry) _draining.Remove(entry.Key);
            }
        }
    }
}
