using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Lexing;

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
    public static StatementOutcome Execute(Session session, SqlStatement statement)
    {
        var t = statement.Tokens.Where(x => x.Kind != SqlTokenKind.Semicolon).ToList();
        var word = t[0].Value.ToUpperInvariant();
        if (word == "SAVEPOINT") return Savepoint(session, t);
        if (word == "RELEASE") return Release(session, t);
        if (word == "ROLLBACK" && t.Any(x => x.IsWord("TO"))) return RollbackTo(session, t);

        switch (word)
        {
            case "BEGIN" or "START":
            {
                var tag = word == "BEGIN" ? "BEGIN" : "START TRANSACTION";
                var outcome = new StatementOutcome(tag);
                if (session.TransactionStatus != TransactionStatus.Idle)
                    outcome.Notices.Add((PgErrorSeverity.Warning, SqlState.ActiveSqlTransaction, "there is already a transaction in progress"));
                else
                    session.TransactionStatus = TransactionStatus.InTransaction;
                return outcome;
            }
            case "COMMIT" or "END":
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
    private static StatementOutcome Savepoint(Session session, List<SqlToken> t)
    {
        var name = NameAt(t, 1, "SAVEPOINT");
        if (session.TransactionStatus == TransactionStatus.Idle)
            throw new PgErrorException(SqlState.NoActiveSqlTransaction, "SAVEPOINT can only be used in transaction blocks");
        session.Savepoints.Add((name, session.CursorSequence, session.Parameters.MarkSavepoint()));
        return new StatementOutcome("SAVEPOINT");
    }

    /// <summary>RELEASE [SAVEPOINT] name: forgets it and every savepoint made after it.</summary>
    private static StatementOutcome Release(Session session, List<SqlToken> t)
    {
        var at = t.Count > 1 && t[1].IsWord("SAVEPOINT") ? 2 : 1;
        var name = NameAt(t, at, "RELEASE");
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
    private static StatementOutcome RollbackTo(Session session, List<SqlToken> t)
    {
        var at = t.FindIndex(x => x.IsWord("TO")) + 1;
        if (at < t.Count && t[at].IsWord("SAVEPOINT")) at++;
        var name = NameAt(t, at, "TO");
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

    private static string NameAt(List<SqlToken> t, int index, string after)
    {
        if (index != t.Count - 1 || t[index].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier))
            throw new PgErrorException(SqlState.SyntaxError, $"syntax error at or near \"{(index < t.Count ? t[index].Text : after)}\"");
        return DeclareCursor.Identifier(t[index]);
    }

    /// <summary>Only these may run in a failed transaction block (ROLLBACK TO a savepoint included).</summary>
    public static bool EndsTransaction(SqlStatement statement) =>
        statement.Tokens.Count > 0 && statement.Tokens[0].Value.ToUpperInvariant() is "ROLLBACK" or "ABORT" or "COMMIT" or "END";
}
