namespace DataMesh.Gateway.Server;

/// <summary>Shared shutdown signal: once stopping, idle sessions close with 57P01 and new ones are refused.</summary>
public sealed class ServerLifetime : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public CancellationToken Stopping => _stopping.Token;

    public bool IsStopping => _stopping.IsCancellationRequested;

    public void BeginStop() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();
}
