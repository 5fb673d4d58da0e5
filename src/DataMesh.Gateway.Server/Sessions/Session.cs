using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Messages.Backend;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>
/// State of one authenticated client session. It holds state only; the handlers in Queries/ act on it.
/// </summary>
public sealed class Session : IDisposable
{
    private int _cancelRequested;

    public Session(string userName, string database, SessionParameters parameters, EngineSession engine, int processId, int secretKey)
    {
        UserName = userName;
        Database = database;
        Parameters = parameters;
        Engine = engine;
        ProcessId = processId;
        SecretKey = secretKey;
    }

    public string UserName { get; }

    /// <summary>The project the database names, and the user's role in it: the boundary of every query. Replaced when
    /// the catalog changes the user's role while the session is open (Auth/SessionMembership).</summary>
    public required Governance.ProjectAccess Access { get; set; }

    /// <summary>What the session's engine instance offers the rewrite (shadow catalog, workspace).</summary>
    public Policy.Rewrite.RewriteOptions RewriteOptions { get; set; } = Policy.Rewrite.RewriteOptions.Default;

    /// <summary>The database named at startup. The catalog work maps it to a project.</summary>
    public string Database { get; }

    public SessionParameters Parameters { get; }
    public EngineSession Engine { get; private set; }

    /// <summary>The fingerprint of the instance spec <see cref="Engine"/> was opened on.</summary>
    public string EngineFingerprint { get; private set; } = "";

    /// <summary>
    /// Moves the session to a new engine connection (its project's grants changed, so its instance was rebuilt).
    /// Only between statements with no open cursor: a suspended portal keeps streaming on the old connection.
    /// </summary>
    public void SwapEngine(EngineSession engine, string fingerprint)
    {
        var old = Engine;
        Engine = engine;
        EngineFingerprint = fingerprint;
        if (ReferenceEquals(old, engine)) return;
        // Statements prepared on the old connection are prepared again (and re-planned) at their next use.
        foreach (var statement in Statements.Values.OfType<Statements.EngineStatement>()) statement.Detach();
        old.Dispose();
    }

    /// <summary>The exp of the identity token the session signed in with; null: not a token session.</summary>
    public DateTimeOffset? IdentityTokenExpiresAt { get; set; }

    /// <summary>When a session that signed in with an identity token must end (its exp plus the grace); null: never.</summary>
    public DateTimeOffset? IdentityExpiresAt { get; set; }

    /// <summary>LISTEN state and waiting notifications of a client connection; null for sessions without one (the portal's).</summary>
    public Notifications.NotificationInbox? Inbox { get; set; }

    /// <summary>The caller as admin commands see it: user, token issuer and subject, token groups.</summary>
    public Admin.AdminCaller AdminCaller => new(UserName, Access.Identity.Issuer, Access.Identity.Subject, Access.Identity.TokenGroups);

    /// <summary>The statement timeout of the project's query_limits blueprint (zero: none).</summary>
    public TimeSpan ProjectStatementTimeout { get; set; }

    /// <summary>
    /// When the statement under way arrived (a <see cref="TimeProvider"/> timestamp; 0: none). statement_timeout is
    /// measured from here, as PostgreSQL measures it from the command's arrival: one simple-protocol statement, or an
    /// extended-protocol run from its first Parse, Bind, Describe or Execute to the end of an Execute or a Sync. Its
    /// phases (planning, preparing, running) each start a timer for what is left, never a fresh allowance.
    /// </summary>
    public long StatementStarted { get; set; }

    /// <summary>A portal streams on the session's engine connection (SQL cursors stream on their own).</summary>
    public bool HasOpenCursor => Portals.Values.Any(p => p.Cursor is not null && p.OwnEngine is null);

    private readonly Lock _cursorEnginesGate = new();
    private readonly List<EngineSession> _cursorEngines = [];

    /// <summary>How many SQL cursors hold an engine connection of their own now.</summary>
    public int CursorEngineCount
    {
        get
        {
            lock (_cursorEnginesGate) return _cursorEngines.Count;
        }
    }

    /// <summary>
    /// Registers a SQL cursor's own engine connection, so that a cancel interrupts it too; disposing the result
    /// unregisters and closes it (CLOSE, the end of its transaction, DISCARD ALL, the end of the session).
    /// </summary>
    public IDisposable AddCursorEngine(EngineSession engine)
    {
        lock (_cursorEnginesGate) _cursorEngines.Add(engine);
        return new CursorEngineLease(this, engine);
    }

    private sealed class CursorEngineLease(Session session, EngineSession engine) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            lock (session._cursorEnginesGate) session._cursorEngines.Remove(engine);
            engine.Dispose();
        }
    }

    /// <summary>Interrupts whatever runs in the engine for this session: its own connection and its cursors' (called from a cancel).</summary>
    private void InterruptEngines()
    {
        Engine.Interrupt();
        // Under the lock: a cursor's connection is unregistered (under it) before it is closed, never interrupted after.
        lock (_cursorEnginesGate)
        {
            foreach (var engine in _cursorEngines) engine.Interrupt();
        }
    }
    public int ProcessId { get; }
    public int SecretKey { get; }

    public TransactionStatus TransactionStatus { get; set; } = TransactionStatus.Idle;

    public Dictionary<string, PreparedStatement> Statements { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Portal> Portals { get; } = new(StringComparer.Ordinal);

    /// <summary>After an error in the extended protocol, messages are skipped until Sync.</summary>
    public bool SkipUntilSync { get; set; }

    /// <summary>Why the running statement should stop, if a cancel or timeout asked it to.</summary>
    public string? CancelReason { get; private set; }

    /// <summary>
    /// Asks the running statement to stop: the flag is checked before the engine starts and between batches, and the
    /// engine is interrupted. A cancel can land just as the engine is about to start a query (after the check, before
    /// DuckDB's own query begins, which clears its interrupt flag), so the interrupt is repeated for a short while
    /// until the statement ends or the flag is cleared.
    /// </summary>
    public void RequestCancel(string reason)
    {
        CancelReason = reason;
        Volatile.Write(ref _cancelRequested, 1);
        Volatile.Read(ref _cancellation).Cancel();
        InterruptEngines();
        _ = RepeatInterruptAsync();
    }

    private async Task RepeatInterruptAsync()
    {
        for (var i = 0; i < 50 && IsCancelRequested; i++)
        {
            await Task.Delay(20).ConfigureAwait(false);
            if (!IsCancelRequested) return;
            InterruptEngines();
        }
    }

    public bool IsCancelRequested => Volatile.Read(ref _cancelRequested) == 1;

    private CancellationTokenSource _cancellation = new();

    /// <summary>Cancelled with the running statement (a cancel, its timeout, shutdown): what waits outside the engine
    /// (fetching objects from an object store) stops with it.</summary>
    public CancellationToken Cancellation => Volatile.Read(ref _cancellation).Token;

    /// <summary>Clears a cancel that arrived between statements, so it does not hit the next one.</summary>
    public void ClearCancel()
    {
        Volatile.Write(ref _cancelRequested, 0);
        CancelReason = null;
        if (Volatile.Read(ref _cancellation).IsCancellationRequested) Interlocked.Exchange(ref _cancellation, new CancellationTokenSource()).Dispose();
    }

    /// <summary>
    /// Tells an engine session who this session is and which of its settings differ from their defaults (current_user,
    /// pg_database, current_setting and pg_settings read them): at sign-in, and when the session moves to a new instance.
    /// </summary>
    public void Introduce(EngineSession engine, IEnumerable<string> databases)
    {
        engine.SetIdentity(UserName, Database, ProcessId, databases);
        engine.SetSettings(Parameters.Changed);
    }

    /// <summary>Savepoints of the open transaction block, oldest first, with the cursor sequence and the settings at each.</summary>
    public List<(string Name, long CursorSequence, SessionParameters.Savepoint Settings)> Savepoints { get; } = [];

    private long _cursorSequence;

    /// <summary>Numbers DECLAREd cursors in order, for ROLLBACK TO SAVEPOINT.</summary>
    public long NextCursorSequence() => ++_cursorSequence;

    public long CursorSequence => _cursorSequence;

    /// <summary>Closes portals; cursors declared WITH HOLD survive unless <paramref name="includeHeld"/>.</summary>
    public void ClosePortals(bool includeNamed, bool includeHeld = false) =>
        ClosePortalsWhere(p => (includeNamed || p.Name.Length == 0) && (includeHeld || !p.Hold));

    public void ClosePortalsWhere(Func<Portal, bool> close)
    {
        foreach (var (name, portal) in Portals.ToList())
        {
            if (!close(portal)) continue;
            portal.Dispose();
            Portals.Remove(name);
        }
    }

    /// <summary>
    /// The end of a transaction block, as PostgreSQL does it: COMMIT keeps held cursors, ROLLBACK also drops the held
    /// cursors that block declared; every other cursor and all savepoints go. Returns the reportable parameters its
    /// end changed back (SET LOCAL, ROLLBACK).
    /// </summary>
    public List<string> EndTransaction(bool commit)
    {
        Savepoints.Clear();
        ClosePortalsWhere(p => p.IsSqlCursor && (!p.Hold || (!commit && p.InOpenTransaction)));
        foreach (var portal in Portals.Values) portal.InOpenTransaction = false;
        TransactionStatus = TransactionStatus.Idle;
        return Parameters.EndTransaction(commit);
    }

    public void Dispose()
    {
        ClosePortals(includeNamed: true, includeHeld: true);
        foreach (var s in Statements.Values) s.Dispose();
        Statements.Clear();
        Engine.Dispose();
    }
}
