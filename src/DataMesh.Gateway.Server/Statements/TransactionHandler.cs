using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE or ROLLBACK TO.</summary>
public sealed class PreparedTransaction : PreparedStatement
{
    internal PreparedTransaction(string name, TransactionStatement control) : base(name, control) => Control = control;

    public TransactionStatement Control { get; }

    internal override IStatementHandler Handler => TransactionHandler.Instance;
}

/// <summary>
/// Transaction blocks are the gateway's own state: consumers only read, so the engine sees independent read-only
/// statements, and a block is ReadyForQuery's I/T/E byte, the 25P02 rule and the cursors it holds. A savepoint has
/// nothing to undo but the failed state, the cursors declared after it and the settings changed after it, which is
/// exactly what PostgreSQL undoes for a read-only transaction.
/// </summary>
internal sealed class TransactionHandler : StatementHandler<PreparedTransaction>
{
    public static readonly TransactionHandler Instance = new();

    protected override StatementResult Execute(StatementContext context, PreparedTransaction statement, Portal portal, int maxRows)
    {
        var session = context.Session;
        var settings = session.Parameters.Version;
        var result = statement.Control switch
        {
            SavepointStatement savepoint => Savepoint(session, savepoint.Name),
            ReleaseStatement release => Release(session, release.Name),
            RollbackToStatement rollbackTo => RollbackTo(session, rollbackTo.Name),
            BeginStatement begin => Begin(session, begin.Tag),
            CommitStatement => End(session, commit: session.TransactionStatus != TransactionStatus.Failed),
            _ => End(session, commit: false), // ROLLBACK, ABORT
        };
        // ROLLBACK restores settings, COMMIT drops SET LOCAL ones: current_setting() must follow.
        if (session.Parameters.Version != settings) session.Engine.SetSettings(session.Parameters.Changed);
        return result;
    }

    private static CommandResult Begin(Session session, string tag)
    {
        if (session.TransactionStatus != TransactionStatus.Idle)
            return new CommandResult(tag) { Notices = [new Notice(PgErrorSeverity.Warning, SqlState.ActiveSqlTransaction, "there is already a transaction in progress")] };
        session.TransactionStatus = TransactionStatus.InTransaction;
        return new CommandResult(tag);
    }

    /// <summary>COMMIT (a failed block rolls back, tagged ROLLBACK), ROLLBACK or ABORT.</summary>
    private static CommandResult End(Session session, bool commit)
    {
        var notices = session.TransactionStatus == TransactionStatus.Idle
            ? [new Notice(PgErrorSeverity.Warning, SqlState.NoActiveSqlTransaction, "there is no transaction in progress")]
            : Array.Empty<Notice>();
        return new CommandResult(commit ? "COMMIT" : "ROLLBACK") { Notices = notices, ChangedParameters = session.EndTransaction(commit) };
    }

    /// <summary>SAVEPOINT name. A name used again shadows the older one, as in PostgreSQL.</summary>
    private static CommandResult Savepoint(Session session, string name)
    {
        if (session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "SAVEPOINT can only be used in transaction blocks");
        session.Savepoints.Add((name, session.CursorSequence, session.Parameters.MarkSavepoint()));
        return new CommandResult("SAVEPOINT");
    }

    /// <summary>RELEASE [SAVEPOINT] name: forgets it and every savepoint made after it.</summary>
    private static CommandResult Release(Session session, string name)
    {
        if (session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "RELEASE SAVEPOINT can only be used in transaction blocks");
        var index = Find(session, name);
        session.Savepoints.RemoveRange(index, session.Savepoints.Count - index);
        return new CommandResult("RELEASE");
    }

    /// <summary>
    /// ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name: the block is usable again (a failed block is no longer
    /// failed), later savepoints are gone, the named one stays, cursors declared after it are closed and settings
    /// changed after it are put back.
    /// </summary>
    private static CommandResult RollbackTo(Session session, string name)
    {
        if (session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "ROLLBACK TO SAVEPOINT can only be used in transaction blocks");
        var index = Find(session, name);
        var (_, mark, settings) = session.Savepoints[index];
        session.Savepoints.RemoveRange(index + 1, session.Savepoints.Count - index - 1);
        session.ClosePortalsWhere(p => p.IsSqlCursor && p.Sequence > mark);
        session.TransactionStatus = TransactionStatus.InTransaction;
        return new CommandResult("ROLLBACK") { ChangedParameters = session.Parameters.RollbackTo(settings) };
    }

    private static int Find(Session session, string name)
    {
        var index = session.Savepoints.FindLastIndex(s => s.Name == name);
        return index >= 0 ? index : throw new PgErrorException(SqlState.InvalidSavepointSpecification, $"savepoint \"{name}\" does not exist");
    }
}
