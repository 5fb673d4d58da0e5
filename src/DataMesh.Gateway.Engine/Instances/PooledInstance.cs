namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// One entry of <see cref="EngineInstances"/>: the instance for one (key, fingerprint), built at most once on first
/// use, and the number of live leases on it. <see cref="Leases"/>, <see cref="LastAcquired"/> and
/// <see cref="Retired"/> change only under the pool's lock.
/// </summary>
internal sealed class PooledInstance
{
    private readonly Lazy<EngineInstance> _instance;
    private PooledInstance? _predecessor;

    /// <param name="predecessor">An earlier entry for the same key that is being disposed. Building waits for it to
    /// be closed, so that its workspace claim and temp files are gone before this instance takes their place.</param>
    /// <param name="supersedes">The entry this one replaces while it is still leased: it hands its writable
    /// workspace over before this one is built.</param>
    /// <param name="standby">The project's standby being made or ready (<see cref="InstanceStandby"/>): the build
    /// waits for it and patches it rather than building the shadow catalog.</param>
    /// <param name="built">Called once the instance is built (the pool then starts the project's next standby).</param>
    public PooledInstance(EngineSpec spec, PooledInstance? predecessor, PooledInstance? supersedes = null, InstanceTemplates? templates = null,
        Task<InstanceStandby?>? standby = null, Action<PooledInstance, EngineSpec, EngineInstance>? built = null)
    {
        Key = spec.Key;
        Fingerprint = spec.Fingerprint;
        _predecessor = predecessor;
        // ExecutionAndPublication: concurrent first users wait for one build (and share its failure).
        _instance = new Lazy<EngineInstance>(() =>
        {
            Interlocked.Exchange(ref _predecessor, null)?.DisposeInstance();
            supersedes?.HandOffWorkspace();
            using var ready = InstanceStandbys.Wait(standby);
            var instance = InstanceBuilder.Build(spec, [], templates, ready);
            built?.Invoke(this, spec, instance);
            return instance;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Key { get; }

    public string Fingerprint { get; }

    public int Leases { get; set; }

    public long LastAcquired { get; set; }

    /// <summary>No longer handed out (superseded, evicted, or its pool disposed); disposed when unleased.</summary>
    public bool Retired { get; set; }

    /// <summary>The built instance; the first caller builds it.</summary>
    public EngineInstance Instance => _instance.Value;

    public void HandOffWorkspace()
    {
        if (_instance.IsValueCreated) _instance.Value.HandOffWorkspace();
    }

    /// <summary>Closes the instance if it was built. Idempotent, and waits for a concurrent disposal to finish.</summary>
    public void DisposeInstance()
    {
        Interlocked.Exchange(ref _predecessor, null)?.DisposeInstance();
        if (_instance.IsValueCreated) _instance.Value.Dispose();
    }
}
