namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// The projects' standbys (<see cref="InstanceStandby"/>), kept only for projects whose grants changed while in the
/// pool (those are the ones that change again: a project nobody changes needs none), <see cref="PerProject"/> per
/// project and at most <c>limit</c> in all, each an extra database in memory. They are made in the background right
/// after the project's instance was built, from that instance's spec; a build of the project takes one, a ready one
/// first. Two per project because a change often follows the one before at once (a REVOKE after its APPROVE): the
/// second change then patches the standby that was ready before the first, from a spec two changes old (still a
/// small delta), instead of waiting for the standby the first change started. Thread-safe.
/// </summary>
internal sealed class InstanceStandbys : IDisposable
{
    private readonly int _limit;
    private readonly InstanceTemplates _templates;
    private readonly Lock _gate = new();
    // Oldest first: past the limit, the project made ready longest ago loses its standby.
    private readonly List<(string Key, Task<InstanceStandby?> Standby)> _ready = [];
    private bool _disposed;
    private long _used;

    /// <summary>Standbys kept for one project.</summary>
    public const int PerProject = 2;

    public InstanceStandbys(int limit, InstanceTemplates templates)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        _limit = limit;
        _templates = templates;
    }

    /// <summary>Builds whose instance came from a patched standby.</summary>
    public long Used => Interlocked.Read(ref _used);

    internal void CountUse() => Interlocked.Increment(ref _used);

    /// <summary>The project's standby, made or being made, now owned by the caller; null if it has none.</summary>
    public Task<InstanceStandby?>? Take(string key)
    {
        lock (_gate)
        {
            var i = _ready.FindIndex(r => r.Key == key && r.Standby.IsCompleted);
            if (i < 0) i = _ready.FindIndex(r => r.Key == key);
            if (i < 0) return null;
            var taken = _ready[i].Standby;
            _ready.RemoveAt(i);
            return taken;
        }
    }

    /// <summary>Starts making standbys from <paramref name="spec"/> until the project has <see cref="PerProject"/>.</summary>
    public void Make(EngineSpec spec)
    {
        if (_limit == 0) return;
        var dropped = new List<Task<InstanceStandby?>>();
        lock (_gate)
        {
            if (_disposed) return;
            // A dedicated thread each: a build may wait for one from a pool thread.
            for (var have = _ready.Count(r => r.Key == spec.Key); have < PerProject; have++)
                _ready.Add((spec.Key, Task.Factory.StartNew(() => Build(spec), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
            while (_ready.Count > _limit)
            {
                dropped.Add(_ready[0].Standby);
                _ready.RemoveAt(0);
            }
        }
        foreach (var standby in dropped) Discard(standby);
    }

    /// <summary>Forgets the project's standbys (its instance left the pool).</summary>
    public void Drop(string key)
    {
        while (Take(key) is { } standby) Discard(standby);
    }

    private InstanceStandby? Build(EngineSpec spec)
    {
        try
        {
            return InstanceStandby.Build(spec, _templates);
        }
        catch (Exception)
        {
            return null; // the next build builds from scratch and reports its own error, if any
        }
    }

    /// <summary>Waits for a standby being made; null if there is none or making it failed.</summary>
    public static InstanceStandby? Wait(Task<InstanceStandby?>? standby) => standby?.GetAwaiter().GetResult();

    private static void Discard(Task<InstanceStandby?> standby) =>
        standby.ContinueWith(t => t.Result?.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    public void Dispose()
    {
        List<Task<InstanceStandby?>> all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _ready.Select(r => r.Standby)];
            _ready.Clear();
        }
        foreach (var standby in all)
        {
            standby.Wait(TimeSpan.FromSeconds(30));
            if (standby.IsCompletedSuccessfully) standby.Result?.Dispose();
        }
    }
}
