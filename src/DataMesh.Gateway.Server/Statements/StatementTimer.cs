using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>Interrupts a statement that runs past statement_timeout (DuckDB has no timeout of its own).</summary>
public sealed class StatementTimer : IDisposable
{
    private readonly Timer? _timer;

    private StatementTimer(Session session, long milliseconds)
    {
        if (milliseconds > 0)
            _timer = new Timer(_ => session.RequestCancel(CancelReasons.StatementTimeout), null, milliseconds, Timeout.Infinite);
    }

    public static StatementTimer Start(Session session, GatewayServerOptions options)
    {
        // The session's own setting, else the server default; the project's query_limits timeout caps either.
        var ms = session.Parameters.StatementTimeoutMs;
        if (ms == 0) ms = (long)options.StatementTimeout.TotalMilliseconds;
        var project = (long)session.ProjectStatementTimeout.TotalMilliseconds;
        if (project > 0) ms = ms == 0 ? project : Math.Min(ms, project);
        // Only what is left of the statement's allowance: a statement that spent it planning is stopped at once.
        if (ms > 0 && session.StatementStarted != 0)
            ms = Math.Max(1, ms - (long)TimeProvider.System.GetElapsedTime(session.StatementStarted).TotalMilliseconds);
        return new StatementTimer(session, ms);
    }

    public void Dispose() => _timer?.Dispose();
}
