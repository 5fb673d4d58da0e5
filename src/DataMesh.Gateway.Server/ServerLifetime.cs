namespace DataMesh.Gateway.Server;

/// <summary>
/// Shared start-up and shutdown state: while starting (the port is open, the catalog still loading) and once stopping,
/// new sessions are refused with 57P03; once stopping, idle sessions close with 57P01.
/// </summary>
public sealed class ServerLifetime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _starting;

    /// <summary>True from <see cref="BeginStarting"/> until <see cref="Started"/>.</summary>
    public bool IsStarting => _starting;

    public void BeginStarting() => _starting = true;

    public void Started() => _starting = false;

    public CancellationToken Stopping => _stopping.Token;

    public bool IsStopping => _stopping.IsCancellationRequested;

    public void BeginStop() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();
}
