using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// BEGIN / COMMIT / ROLLBACK bookkeeping. Consumers only read, so a transaction block is the gateway's state
/// (ReadyForQuery's I/T/E byte and the 25P02 rule); the engine sees independent read-only statements.
/// </summary>
public static class TransactionStatements
{
    public static StatementOutcome Execute(Session session, SqlStatement statement)
    {
        var word = statement.Tokens[0].Value.ToUpperInvariant();
        if (word is "SAVEPOINT" or "RELEASE" || (word is "ROLLBACK" && statement.Tokens.Any(t => t.IsWord("TO"))))
            throw new PgErrorException(SqlState.FeatureNotSupported, "savepoints are not supported by the gateway");

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
                session.TransactionStatus = TransactionStatus.Idle;
                return outcome;
            }
            default: // ROLLBACK, ABORT
            {
                var outcome = new StatementOutcome("ROLLBACK");
                if (session.TransactionStatus == TransactionStatus.Idle)
                    outcome.Notices.Add((PgErrorSeverity.Warning, SqlState.NoActiveSqlTransaction, "there is no transaction in progress"));
                session.TransactionStatus = TransactionStatus.Idle;
                return outcome;
            }
        }
    }

    /// <summary>Only these may run in a failed transaction block.</summary>
    public static bool EndsTransaction(SqlStatement statement) =>
        statement.Tokens.Count > 0 && statement.Tokens[0].Value.ToUpperInvariant() is "ROLLBACK" or "ABORT" or "COMMIT" or "END";
}
