using System.Buffers;
using System.IO.Pipelines;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Protocol.Messages.Backend;

namespace DataMesh.Gateway.Server.Connections;

/// <summary>One frontend message cut from the input; the payload is copied so the input can advance at once.</summary>
public readonly record struct FrontendMessage(byte Type, ReadOnlySequence<byte> Payload);

/// <summary>
/// The duplex byte stream of one connection after startup (a socket stream or a TLS stream) seen as pipes.
/// It cuts messages with size limits and batches output: nothing is written to the socket until a flush,
/// and a flush returns only once the bytes were handed to the stream. That last property is why the pipes
/// wrap the stream directly: a FATAL error must reach the client before the socket closes.
/// </summary>
public sealed class WireTransport : IWireOutput, IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly IDuplexPipe _pipe;

    private WireTransport(IDuplexPipe pipe)
    {
        _pipe = pipe;
        Backend = new BackendWriter(pipe.Output);
    }

    public static WireTransport Over(Stream stream) => new(new StreamDuplex(
        PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: BufferSize, minimumReadSize: 4096, leaveOpen: true)),
        PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: BufferSize, leaveOpen: true))));

    /// <summary>A transport without a socket: the portal's in-process sessions (<see cref="Embedded.EmbeddedStatements"/>).</summary>
    internal static WireTransport Over(PipeReader input, PipeWriter output) => new(new StreamDuplex(input, output));

    private sealed record StreamDuplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    public BackendWriter Backend { get; }

    /// <summary>Told how many bytes each flush wrote (the metrics' bytes streamed).</summary>
    public Action<long>? Flushed { get; set; }

    /// <summary>Reads the next message, or null when the client closed the connection.</summary>
    public async ValueTask<FrontendMessage?> ReadMessageAsync(int maxMessageBytes, CancellationToken cancellationToken)
    {
        var reader = _pipe.Input;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (MessageFramer.TryRead(ref buffer, maxMessageBytes, out var type, out var payload))
            {
                var message = new FrontendMessage(type, new ReadOnlySequence<byte>(payload.ToArray()));
                // Only the message is consumed and examined: further complete messages may already be buffered.
                reader.AdvanceTo(buffer.Start);
                return message;
            }
            // Not a whole message yet: keep everything, but wait for more bytes before looking again.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted) return null;
        }
    }

    /// <summary>
    /// A message the client already sent, without waiting for more: a shutdown lets a client finish the batch it
    /// pipelined (Parse, Bind, Execute, Sync) before the session is closed, so a query ending in the grace period
    /// also gets its CommandComplete and ReadyForQuery.
    /// </summary>
    public bool TryReadBuffered(int maxMessageBytes, out FrontendMessage message)
    {
        message = default;
        var reader = _pipe.Input;
        if (!reader.TryRead(out var result)) return false;
        var buffer = result.Buffer;
        if (MessageFramer.TryRead(ref buffer, maxMessageBytes, out var type, out var payload))
        {
            message = new FrontendMessage(type, new ReadOnlySequence<byte>(payload.ToArray()));
            reader.AdvanceTo(buffer.Start);
            return true;
        }
        reader.AdvanceTo(result.Buffer.Start);
        return false;
    }

    /// <summary>True once a write failed: the client is gone and nothing more may be written.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Writes everything pending to the socket; waits while the client is slow (backpressure).</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        if (IsBroken) throw new ClientDisconnectedException();
        Flushed?.Invoke(Backend.PendingBytes);
        Backend.ResetPending();
        FlushResult result;
        try
        {
            result = await _pipe.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            IsBroken = true;
            throw new ClientDisconnectedException();
        }
        if (result.IsCompleted || result.IsCanceled)
        {
            IsBroken = true;
            throw new ClientDisconnectedException();
        }
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
    }
}

/// <summary>The client went away while the server was writing to it.</summary>
public sealed class ClientDisconnectedException() : Exception("client disconnected");
