using System.Collections.Concurrent;
using System.Security.Cryptography;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Cancellation;

/// <summary>
/// Maps BackendKeyData process ids to live sessions, so a CancelRequest arriving on a new socket can reach
/// the session it names. Keys come from a cryptographic RNG and are compared in constant time.
/// </summary>
public sealed class CancelRegistry : Admin.IProjectSessions
{
    private readonly ConcurrentDictionary<int, Session> _sessions = new();

    /// <summary>A positive 31-bit process id not in use (pgjdbc skips cancels for negative ids).</summary>
    public int NewProcessId()
    {
        while (true)
        {
            var pid = RandomNumberGenerator.GetInt32(1000, int.MaxValue);
            if (!_sessions.ContainsKey(pid)) return pid;
        }
    }

    public static int NewSecretKey() => BitConverter.ToInt32(RandomNumberGenerator.GetBytes(4));

    public void Register(Session session) => _sessions[session.ProcessId] = session;

    public void Unregister(Session session) => _sessions.TryRemove(new KeyValuePair<int, Session>(session.ProcessId, session));

    /// <summary>Cancels the session's running statement when the key matches; silently does nothing otherwise.</summary>
    public bool TryCancel(int processId, int secretKey)
    {
        if (!_sessions.TryGetValue(processId, out var session)) return false;
        Span<byte> expected = stackalloc byte[4];
        Span<byte> given = stackalloc byte[4];
        BitConverter.TryWriteBytes(expected, session.SecretKey);
        BitConverter.TryWriteBytes(given, secretKey);
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return false;
        session.RequestCancel(CancelReasons.UserRequest);
        return true;
    }

    public IReadOnlyCollection<Session> Sessions => (IReadOnlyCollection<Session>)_sessions.Values;

    /// <summary>Sessions signed in to <paramref name="project"/> (DROP and RENAME of a project wait until there are none).</summary>
    public int CountIn(string project) => _sessions.Values.Count(s => string.Equals(s.Database, project, StringComparison.Ordinal));
}

public static class CancelReasons
{
    public const string UserRequest = "canceling statement due to user request";
    public const string StatementTimeout = "canceling statement due to statement timeout";
    public const string Shutdown = "terminating connection due to administrator command";
    public const string ClientGone = "canceling statement because the connection to the client was lost";
}
