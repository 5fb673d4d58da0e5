using System.Buffers;
using System.IO.Pipelines;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Protocol.Messages.Backend;

namespace DataMesh.Gateway.Server.Connections;

/// <summary>One frontend message cut from the input; the payload is copied so the input can advance at once.</summary>
public readonly record struct FrontendMessage(byte Type, ReadOnlySequence<byte> Payload);

/// <summary>
/// The duplex byte stream of one connection after startup, over Pipelines (plain sockets) or a TLS stream.
/// It cuts messages with size limits and batches output: nothing is written to the socket until a flush.
/// </summary>
public sealed class WireTransport : IAsyncDisposable
{
    private readonly IDuplexPipe _pipe;
    private readonly IDisposable? _owner;

    public WireTransport(IDuplexPipe pipe, IDisposable? owner)
    {
        _pipe = pipe;
        _owner = owner;
        Backend = new BackendWriter(pipe.Output);
    }

    public BackendWriter Backend { get; }

    /// <summary>Reads the next message, or null when the client closed the connection.</summary>
    public async ValueTask<FrontendMessage?> ReadMessageAsync(int maxMessageBytes, CancellationToken cancellationToken)
    {
        var reader = _pipe.Input;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            try
            {
                if (MessageFramer.TryRead(ref buffer, maxMessageBytes, out var type, out var payload))
                {
                    consumed = buffer.Start;
                    return new FrontendMessage(type, new ReadOnlySequence<byte>(payload.ToArray()));
                }
                if (result.IsCompleted) return null;
            }
            finally
            {
                reader.AdvanceTo(consumed, buffer.End);
            }
        }
    }

    /// <summary>Writes everything pending to the socket; waits while the client is slow (backpressure).</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Backend.ResetPending();
        var result = await _pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted || result.IsCanceled) throw new ClientDisconnectedException();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _pipe.Output.CompleteAsync().ConfigureAwait(false);
            await _pipe.Input.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The peer may already be gone; completing the pipes is best effort.
        }
        _owner?.Dispose();
    }
}

/// <summary>The client went away while the server was writing to it.</summary>
public sealed class ClientDisconnectedException() : Exception("client disconnected");
