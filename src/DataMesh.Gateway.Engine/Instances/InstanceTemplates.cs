using System.Collections.Concurrent;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// Spare in-memory databases with the pg_catalog emulation already in them: ~160 statements, the same in every
/// instance and most of what building one cost, run ahead of time in the background instead of while a session
/// waits. A spare holds nothing of any project: no allow list, no shadow table, no workspace, not locked down. It is
/// taken once (never returned) and made into one project's instance by <see cref="InstanceBuilder"/>, which applies
/// the whole lockdown as before. Thread-safe.
/// </summary>
internal sealed class InstanceTemplates : IDisposable
{
    private readonly int _spares;
    private readonly ConcurrentQueue<(object Settings, DuckDBConnection Root)> _ready = new();
    private readonly Lock _gate = new();
    private object? _settings; // the setting definitions the spares were built with (the same list every spec carries)
    private Task _refill = Task.CompletedTask;
    private bool _disposed;
    private long _taken;
    private long _builtOnDemand;

    public InstanceTemplates(int spares)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spares);
        _spares = spares;
    }

    /// <summary>Builds that found a spare ready.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>Builds that had to run the emulation themselves (no spare ready, or other settings).</summary>
    public long BuiltOnDemand => Interlocked.Read(ref _builtOnDemand);

    /// <summary>An open root connection with the emulation for <paramref name="settings"/>; the caller owns it.</summary>
    public DuckDBConnection Take(IReadOnlyList<(string Name, string Boot, string Context, string Type)> settings)
    {
        while (_ready.TryDequeue(out var spare))
        {
            if (ReferenceEquals(spare.Settings, settings))
            {
                Interlocked.Increment(ref _taken);
                Refill(settings);
                return spare.Root;
            }
            spare.Root.Dispose(); // built for other settings: no longer wanted
        }
        Interlocked.Increment(ref _builtOnDemand);
        Refill(settings);
        return Emulated(settings);
    }

    /// <summary>Starts building spares for <paramref name="settings"/> ahead of the first need.</summary>
    public void Warm(IReadOnlyList<(string Name, string Boot, string Context, string Type)> settings) => Refill(settings);

    private void Refill(IReadOnlyList<(string Name, string Boot, string Context, string Type)> settings)
    {
        if (_spares == 0) return;
        lock (_gate)
        {
            if (_disposed || !_refill.IsCompleted && ReferenceEquals(_settings, settings)) return;
            _settings = settings;
            _refill = Task.Factory.StartNew(() =>
            {
                while (_ready.Count < _spares)
                {
                    lock (_gate)
                        if (_disposed || !ReferenceEquals(_settings, settings)) return;
                    _ready.Enqueue((settings, Emulated(settings)));
                }
                lock (_gate)
                    if (_disposed) DrainSpares();
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    internal static DuckDBConnection Emulated(IReadOnlyList<(string Name, string Boot, string Context, string Type)> settings)
    {
        var root = new DuckDBConnection(InstanceBuilder.ConnectionString);
        try
        {
            root.Open();
            // The column types oid, name, "char" and reg* first: the emulation's tables are declared with them.
            PgCatalogEmulation.RegisterTypes(root);
            foreach (var sql in PgCatalogEmulation.Statements(settings)) InstanceBuilder.Run(root, sql);
            return root;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    private void DrainSpares()
    {
        while (_ready.TryDequeue(out var spare)) spare.Root.Dispose();
    }

    public void Dispose()
    {
        Task refill;
        lock (_gate)
        {
            _disposed = true;
            refill = _refill;
        }
        try
        {
            refill.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
        }
        DrainSpares();
    }
}
