using System.Net.Sockets;
using System.Runtime.InteropServices;
using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Connections;

/// <summary>
/// PostgreSQL's client_connection_check_interval: the session's socket is polled for the peer's hang-up, and a client
/// that left gets its running statement interrupted like a cancel (the engine stops at its next interrupt check and
/// frees its threads), instead of computing a first chunk for nobody. The message loop alone notices a closed socket
/// only when it next writes or reads, which for a long query is when the engine is done. On Linux the check is
/// poll(2) with POLLRDHUP, which reports the peer's FIN or reset even while unread bytes are pending (pipelined
/// messages); elsewhere, a readable socket with nothing to read. A client that only shuts down its sending side and
/// still waits for the answer counts as gone, as in PostgreSQL.
/// </summary>
internal sealed partial class DisconnectWatch : IAsyncDisposable
{
    private const short PollErr = 0x8, PollHup = 0x10, PollRdHup = 0x2000;

    private readonly Socket _socket;
    private readonly Session _session;
    private readonly ITimer? _timer;
    private int _ticking;

    private DisconnectWatch(Socket socket, Session session, TimeSpan interval, TimeProvider time)
    {
        _socket = socket;
        _session = session;
        if (interval > TimeSpan.Zero) _timer = time.CreateTimer(_ => Tick(), null, interval, interval);
    }

    /// <summary>Starts watching (an interval of zero disables the check).</summary>
    public static DisconnectWatch Start(Socket socket, Session session, TimeSpan interval, TimeProvider time) =>
        new(socket, session, interval, time);

    private void Tick()
    {
        if (Interlocked.Exchange(ref _ticking, 1) == 1) return;
        try
        {
            if (!HungUp()) return;
            if (!_session.IsCancelRequested) _session.RequestCancel(CancelReasons.ClientGone);
        }
        catch (ObjectDisposedException)
        {
            // The connection closed between ticks: nothing left to stop.
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private bool HungUp()
    {
        if (!OperatingSystem.IsLinux()) return _socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0;
        var handle = _socket.SafeHandle;
        var added = false;
        try
        {
            // Held so that the descriptor cannot be closed and reused by another connection while it is polled.
            handle.DangerousAddRef(ref added);
            var fd = new PollFd { Fd = (int)handle.DangerousGetHandle(), Events = PollRdHup };
            return Poll(ref fd, 1, 0) > 0 && (fd.Revents & (PollRdHup | PollHup | PollErr)) != 0;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Stops the timer and waits for a running check, so none touches the session after it is disposed.</summary>
    public ValueTask DisposeAsync() => _timer?.DisposeAsync() ?? ValueTask.CompletedTask;

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll")]
    private static partial int Poll(ref PollFd fds, nuint count, int timeoutMilliseconds);
}
