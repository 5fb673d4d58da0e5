using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Protocol.Messages.Frontend;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>A bound statement, ready to run; its cursor stays open across Execute calls with a row limit.</summary>
public sealed class Portal : IDisposable
{
    public Portal(string name, PreparedStatement statement, object?[] parameters, FormatCode[] resultFormats)
    {
        Name = name;
        Statement = statement;
        Parameters = parameters;
        ResultFormats = resultFormats;
    }

    public string Name { get; }
    public PreparedStatement Statement { get; }
    public object?[] Parameters { get; }
    public FormatCode[] ResultFormats { get; }

    /// <summary>Started at Describe or at the first Execute; kept open while the portal is suspended.</summary>
    public QueryCursor? Cursor { get; set; }

    /// <summary>An admin command's result, computed at Describe or Execute (an admin command runs once per portal).</summary>
    public DataMesh.Gateway.Admin.AdminResult? AdminResult { get; set; }

    /// <summary>True once the portal ran to completion (a later Execute returns no rows).</summary>
    public bool Completed { get; set; }

    /// <summary>When the first Execute began (Stopwatch ticks), for the audit record's duration.</summary>
    public long? StartedAt { get; set; }

    /// <summary>
    /// A cursor made by DECLARE: it outlives the statement that declared it and owns its own prepared statement
    /// (planned and governed like the same SELECT on its own). Closed by CLOSE, by the end of its transaction, or,
    /// WITH HOLD, by the end of the session.
    /// </summary>
    public bool IsSqlCursor { get; init; }

    /// <summary>A SQL cursor's own engine connection (<see cref="Session.AddCursorEngine"/>), released after its statement.</summary>
    public IDisposable? OwnEngine { get; set; }

    /// <summary>DECLARE … WITH HOLD: survives COMMIT and Sync outside a transaction block.</summary>
    public bool Hold { get; init; }

    /// <summary>Declared in a transaction block still open (a ROLLBACK of that block closes even a held cursor).</summary>
    public bool InOpenTransaction { get; set; }

    /// <summary>The session's cursor sequence at DECLARE, so ROLLBACK TO SAVEPOINT closes cursors declared after it.</summary>
    public long Sequence { get; init; }

    /// <summary>The portal ran to its end: later Executes return no rows, and its engine cursor is released now.</summary>
    public void Finish()
    {
        Completed = true;
        Cursor?.Dispose();
        Cursor = null;
    }

    public void Dispose()
    {
        Cursor?.Dispose();
        Cursor = null;
        if (IsSqlCursor) Statement.Dispose();
        OwnEngine?.Dispose();
        OwnEngine = null;
    }
}
