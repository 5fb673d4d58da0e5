using DataMesh.Gateway.Protocol.Messages.Backend;

namespace DataMesh.Gateway.Server.Connections;

/// <summary>Where a connection's backend messages go: a writer that batches, and a flush that waits for the client.</summary>
public interface IWireOutput
{
    BackendWriter Backend { get; }

    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
