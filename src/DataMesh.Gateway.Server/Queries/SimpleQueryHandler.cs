using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Server.Connections;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Sql.Lexing;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// The simple query protocol: one Query message may hold several statements. Each gets its own result and
/// command tag; the first error stops the rest; exactly one ReadyForQuery ends the message.
/// </summary>
public sealed class SimpleQueryHandler(WireTransport transport, StatementRunner runner)
{
    public async Task HandleAsync(Session session, string sql)
    {
        var statements = StatementSplitter.Split(sql);
        if (statements.Count == 0)
        {
            transport.Backend.EmptyQueryResponse();
            return;
        }

        // A cancel is cleared once, when the message arrives (ClientConnection), not per statement: a cancel that lands
        // while this message's work (splitting a long text, preparing) is under way must stop it, as in PostgreSQL.
        foreach (var statement in statements)
        {
            if (session.TransactionStatus == TransactionStatus.Failed && !Sql.Statements.StatementParser.EndsTransaction(statement))
            {
                transport.Backend.Error(InFailedTransaction());
                return;
            }
            try
            {
                using var prepared = runner.Prepare(session, "", statement, []);
                using var portal = new Portal("", prepared, [], []);
                await runner.ExecuteAsync(session, portal, 0, sendRowDescription: true).ConfigureAwait(false);
            }
            catch (PgErrorException e) when (!e.IsFatal)
            {
                transport.Backend.Error(e);
                if (session.TransactionStatus == TransactionStatus.InTransaction) session.TransactionStatus = TransactionStatus.Failed;
                return;
            }
        }
    }

    public static PgErrorException InFailedTransaction() =>
        new(SqlState.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block");
}
