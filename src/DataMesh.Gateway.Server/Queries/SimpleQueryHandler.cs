using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Statements;
using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Server.Queries;

/// <summary>
/// The simple query protocol: one Query message may hold several statements. Each is prepared, run by its handler and
/// written as its own result with its own tag; the first error stops the rest; the caller ends the message with one
/// ReadyForQuery.
/// </summary>
internal sealed class SimpleQueryHandler(StatementContext context, ResponseWriter responses)
{
    public async Task HandleAsync(string sql)
    {
        var session = context.Session;
        var statements = StatementSplitter.Split(sql);
        if (statements.Count == 0)
        {
            await responses.WriteAsync(context, EmptyResult.Instance, describe: true).ConfigureAwait(false);
            return;
        }

        // A cancel is cleared once, when the message arrives (ClientConnection), not per statement: a cancel that lands
        // while this message's work (splitting a long text, preparing) is under way must stop it, as in PostgreSQL.
        foreach (var statement in statements)
        {
            session.StatementStarted = TimeProvider.System.GetTimestamp(); // statement_timeout covers each statement whole
            try
            {
                if (session.TransactionStatus == TransactionStatus.Failed && !StatementParser.EndsTransaction(statement))
                    throw InFailedTransaction();
                using var prepared = StatementPreparer.Prepare(context, "", statement, []);
                using var portal = new Portal("", prepared, [], []);
                var result = prepared.Handler.Execute(context, portal, 0);
                await responses.WriteAsync(context, result, describe: true).ConfigureAwait(false);
            }
            catch (PgErrorException e) when (!e.IsFatal)
            {
                responses.Error(session, e);
                return;
            }
            finally
            {
                session.StatementStarted = 0;
            }
        }
    }

    public static PgErrorException InFailedTransaction() =>
        new(SqlState.InFailedSqlTransaction, "current transaction is aborted, commands ignored until end of transaction block");
}
