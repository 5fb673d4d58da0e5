using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// BEGIN / COMMIT / ROLLBACK and SAVEPOINT / RELEASE / ROLLBACK TO bookkeeping. Consumers only read, so a transaction
/// block is the gateway's state (ReadyForQuery's I/T/E byte, the 25P02 rule, the cursors it holds); the engine sees
/// independent read-only statements. A savepoint therefore has nothing to undo but the failed state, the cursors
/// declared after it and the settings changed after it, which is exactly what PostgreSQL undoes for a read-only
/// transaction.
/// </summary>
public static class TransactionStatements
{
    public static StatementOutcome Execute(Session session, Sql.Statements.Statement statement)
    {
        switch (statement)
        {
            case RejectedStatement rejected:
                throw StatementErrors.ToPg(rejected.Error);
            case SavepointStatement savepoint:
                return Savepoint(session, savepoint.Name);
            case ReleaseStatement release:
                return Release(session, release.Name);
            case RollbackToStatement rollbackTo:
                return RollbackTo(session, rollbackTo.Name);
            case BeginStatement begin:
            {
                var outcome = new StatementOutcome(begin.Tag);
                if (session.TransactionStatus != TransactionStatus.Idle)
                    outcome.Notices.Add((PgErrorSeverity.Warning, SqlState.ActiveSqlTransaction, "there is already a transaction in progress"));
                else
                    session.TransactionStatus = TransactionStatus.InTransaction;
                return outcome;
            }
            case CommitStatement:
            {
                var failed = session.TransactionStatus == TransactionStatus.Failed;
                var outcome = new StatementOutcome(failed ? "ROLLBACK" : "COMMIT");
                if (session.TransactionStatus == TransactionStatus.Idle)
                    outcome.Notices.Add((PgErrorSeverity.Warning, SqlState.NoActiveSqlTransaction, "there is no transaction in progress"));
                outcome.ChangedParameters.AddRange(session.EndTransaction(commit: !failed));
                return outcome;
            }
            default: // ROLLBACK, ABORT
            {
                var outcome = new StatementOutcome("ROLLBACK");
                if (session.TransactionStatus == TransactionStatus.Idle)
                    outcome.Notices.Add((PgErrorSeverity.Warning, SqlState.NoActiveSqlTransaction, "there is no transaction in progress"));
                outcome.ChangedParameters.AddRange(session.EndTransaction(commit: false));
                return outcome;
            }
        }
    }

    /// <summary>SAVEPOINT name. A name used again shadows the older one, as in PostgreSQL.</summary>
    private static StatementOutcome Savepoint(Session session, string name)
    {
        if (session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "SAVEPOINT can only be used in transaction blocks");
        session.Savepoints.Add((name, session.CursorSequence, session.Parameters.MarkSavepoint()));
        return new StatementOutcome("SAVEPOINT");
    }

    /// <summary>RELEASE [SAVEPOINT] name: forgets it and every savepoint made after it.</summary>
    private static StatementOutcome Release(Session session, string name)
    {
        if (session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "RELEASE SAVEPOINT can only be used in transaction blocks");
        var index = Find(session, name);
        session.Savepoints.RemoveRange(index, session.Savepoints.Count - index);
        return new StatementOutcome("RELEASE");
    }

    /// <summary>
    /// ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name: the block is usable again (a failed block is no longer
    /// failed), later savepoints are gone, the named one stays, cursors declared after it are closed and settings
    /// changed after it are put back.
    /// </summary>
    private static StatementOutcome RollbackTo(Session session, string name)
    {
        if (session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "ROLLBACK TO SAVEPOINT can only be used in transaction blocks");
        var index = Find(session, name);
        var (_, mark, settings) = session.Savepoints[index];
        session.Savepoints.RemoveRange(index + 1, session.Savepoints.Count - index - 1);
        session.ClosePortalsWhere(p => p.IsSqlCursor && p.Sequence > mark);
        session.TransactionStatus = TransactionStatus.InTransaction;
        var outcome = new StatementOutcome("ROLLBACK");
        outcome.ChangedParameters.AddRange(session.Parameters.RollbackTo(settings));
        return outcome;
    }

    private static int Find(Session session, string name)
    {
        var index = session.Savepoints.FindLastIndex(s => s.Name == name);
        return index >= 0 ? index : throw new PgErrorException(SqlState.InvalidSavepointSpecification, $"savepoint \"{name}\" does not exist");
    }
}
