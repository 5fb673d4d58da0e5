using System.Net.Sockets;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Auth;
using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Queries;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Statements;
using DataMesh.Gateway.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Server.Connections;

/// <summary>
/// The session phase of a connection, after ReadyForQuery: reads one frontend message at a time (idle-session
/// timeout, shutdown), checks that the session may still run statements (its token's expiry, its membership), hands
/// the message to the simple or extended query handler, and turns a statement's error into ErrorResponse (and, for a
/// Query, ReadyForQuery, flushed at once). Returns at Terminate or end of stream; FATAL errors propagate.
/// </summary>
internal sealed class MessageLoop(
    WireTransport transport,
    ResponseWriter responses,
    Session session,
    GatewayServerOptions options,
    GatewayServices services,
    ServerLifetime lifetime,
    Notifications.NotificationHub notifications,
    ILogger logger)
{
    public async Task RunAsync()
    {
        // LISTEN's notifications: queued by the hub from any thread, written by this loop only (one writer).
        var inbox = session.Inbox = new Notifications.NotificationInbox(session.AdminCaller, session.ProcessId);
        notifications.Register(inbox);
        try
        {
            await LoopAsync(inbox).ConfigureAwait(false);
        }
        finally
        {
            notifications.Unregister(inbox);
        }
    }

    private async Task LoopAsync(Notifications.NotificationInbox inbox)
    {
        var context = new StatementContext(session, options, services.Governance, services.Engines, services.Admin, services.Catalog, services.Metadata);
        var simple = new SimpleQueryHandler(context, responses);
        var extended = new ExtendedQueryHandler(context, responses, transport);
        var membership = new SessionMembership(services.Catalog, session);
        var w = transport.Backend;

        while (true)
        {
            FrontendMessage? maybe;
            if (lifetime.IsStopping && transport.TryReadBuffered(options.MaxMessageBytes, out var pipelined)) maybe = pipelined;
            else using (var idle = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Stopping))
            {
                if (options.IdleSessionTimeout > TimeSpan.Zero && session.TransactionStatus == TransactionStatus.Idle)
                    idle.CancelAfter(options.IdleSessionTimeout);
                try
                {
                    maybe = await ReadOrNotifyAsync(inbox, idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (lifetime.IsStopping)
                {
                    throw PgErrorException.Fatal(SqlState.AdminShutdown, CancelReasons.Shutdown);
                }
                catch (OperationCanceledException)
                {
                    throw PgErrorException.Fatal(SqlState.IdleSessionTimeout, "terminating connection due to idle-session timeout");
                }
            }
            if (maybe is not { } message) return;
            if (message.Type == FrontendMessageType.Terminate) return;
            if (session.SkipUntilSync && message.Type != FrontendMessageType.Sync)
            {
                // Flush is honoured in every state: a client that sent Parse, Describe and Flush after a failed
                // statement waits for the ErrorResponse before it sends Sync (asyncpg, node-postgres' pg-cursor).
                if (message.Type == FrontendMessageType.Flush) await transport.FlushAsync().ConfigureAwait(false);
                continue;
            }
            RequireLiveIdentity(session, message.Type);
            if (IsStatement(message.Type)) CatalogStaleness.RequireFresh(services.Catalog, options.CatalogMaxStaleness);

            // statement_timeout in the extended protocol runs from the first query message to the end of an Execute or a Sync.
            if (message.Type is FrontendMessageType.Parse or FrontendMessageType.Bind or FrontendMessageType.Describe or FrontendMessageType.Execute
                && session.StatementStarted == 0)
                session.StatementStarted = TimeProvider.System.GetTimestamp();
            try
            {
                membership.Check(session, message.Type); // REMOVE MEMBER, a new role, DROP USER: at the next statement
                switch (message.Type)
                {
                    case FrontendMessageType.Query:
                        session.ClearCancel(); // a cancel that arrived before this message must not hit it
                        await simple.HandleAsync(QueryMessage.Parse(message.Payload).Sql).ConfigureAwait(false);
                        WriteNotifications(inbox);
                        w.ReadyForQuery(session.TransactionStatus);
                        await transport.FlushAsync().ConfigureAwait(false);
                        break;
                    case FrontendMessageType.Parse:
                        extended.Parse(ParseMessage.Parse(message.Payload));
                        break;
                    case FrontendMessageType.Bind:
                        extended.Bind(BindMessage.Parse(message.Payload));
                        break;
                    case FrontendMessageType.Describe:
                        extended.Describe(TargetedMessage.Parse(message.Payload));
                        break;
                    case FrontendMessageType.Execute:
                        await extended.ExecuteAsync(ExecuteMessage.Parse(message.Payload)).ConfigureAwait(false);
                        break;
                    case FrontendMessageType.Close:
                        extended.Close(TargetedMessage.Parse(message.Payload));
                        break;
                    case FrontendMessageType.Sync:
                        extended.Sync();
                        WriteNotifications(inbox);
                        await transport.FlushAsync().ConfigureAwait(false);
                        break;
                    case FrontendMessageType.Flush:
                        await transport.FlushAsync().ConfigureAwait(false);
                        break;
                    case FrontendMessageType.CopyData or FrontendMessageType.CopyDone or FrontendMessageType.CopyFail:
                        break; // ignored outside COPY FROM STDIN, as PostgreSQL does
                    case FrontendMessageType.FunctionCall:
                        responses.Error(session, new PgErrorException(SqlState.FeatureNotSupported, "the fast-path function call interface is not supported"));
                        w.ReadyForQuery(session.TransactionStatus);
                        await transport.FlushAsync().ConfigureAwait(false);
                        break;
                    default:
                        throw PgErrorException.ProtocolViolation($"unexpected message type '{(char)message.Type}'");
                }
                if (w.PendingBytes >= options.WriteBatchBytes) await transport.FlushAsync().ConfigureAwait(false);
            }
            catch (PgErrorException e) when (!e.IsFatal)
            {
                OnStatementError(session, transport, e, message.Type);
                // As PostgreSQL does, an error goes out at once, not with the next reply: a Query that failed before it
                // ran (its text is not UTF-8, the session lost its membership), and an extended-protocol message whose
                // client waits on Flush for it (asyncpg's prepare, pg-cursor's read) without a Sync.
                await transport.FlushAsync().ConfigureAwait(false);
            }
            catch (PgErrorException e) when (e.SqlState == SqlState.AdminShutdown)
            {
                throw;
            }
            catch (Exception) when (transport.IsBroken)
            {
                throw new ClientDisconnectedException(); // the client left mid-result; nothing to report to it
            }
            catch (Exception e) when (e is not (PgErrorException or ClientDisconnectedException or IOException or OperationCanceledException or SocketException))
            {
                logger.LogError(e, "Unexpected failure in session {Pid}", session.ProcessId);
                OnStatementError(session, transport, new PgErrorException(SqlState.InternalError, "internal error in the gateway"), message.Type);
                await transport.FlushAsync().ConfigureAwait(false);
            }
            if (message.Type == FrontendMessageType.Query && session.IsCancelRequested) session.ClearCancel();
            if (message.Type is FrontendMessageType.Execute or FrontendMessageType.Sync) session.StatementStarted = 0;
        }
    }

    /// <summary>
    /// The client's next message; while waiting for it, notifications that arrive for an idle session (not inside a
    /// transaction block, as PostgreSQL delivers them) are written and flushed at once, so psycopg2's poll() and
    /// asyncpg's listeners see them without sending anything. The read is never cancelled for this: it goes on.
    /// </summary>
    private async Task<FrontendMessage?> ReadOrNotifyAsync(Notifications.NotificationInbox inbox, CancellationToken cancellationToken)
    {
        var read = transport.ReadMessageAsync(options.MaxMessageBytes, cancellationToken).AsTask();
        // A shared catalog may stop answering while the session waits: it is then ended once the staleness bound has
        // passed, not only at its next statement (checked every second while it waits, on a shared catalog only).
        var shared = services.Catalog.Follower is { Shared: true };
        while (true)
        {
            if (session.TransactionStatus == TransactionStatus.Idle && inbox.HasPending && inbox.WriteTo(transport.Backend))
                await transport.FlushAsync().ConfigureAwait(false);
            var signalled = inbox.Signalled();
            var woken = shared
                ? await Task.WhenAny(read, signalled, Task.Delay(StalenessCheck, CancellationToken.None)).ConfigureAwait(false)
                : await Task.WhenAny(read, signalled).ConfigureAwait(false);
            if (woken == read) return await read.ConfigureAwait(false);
            if (shared) CatalogStaleness.RequireFresh(services.Catalog, options.CatalogMaxStaleness);
        }
    }

    /// <summary>How often a waiting session on a shared catalog checks that its snapshot is not too stale.</summary>
    private static readonly TimeSpan StalenessCheck = TimeSpan.FromSeconds(1);

    /// <summary>Waiting notifications go out before ReadyForQuery when the session is outside a transaction block.</summary>
    private void WriteNotifications(Notifications.NotificationInbox inbox)
    {
        if (session.TransactionStatus == TransactionStatus.Idle && inbox.HasPending) inbox.WriteTo(transport.Backend);
    }

    /// <summary>
    /// A session signed in with a token lives no longer than the token (plus the configured grace): the next
    /// statement after that is FATAL, and the client must reconnect with a fresh token.
    /// </summary>
    private static void RequireLiveIdentity(Session session, byte messageType)
    {
        if (session.IdentityExpiresAt is not { } until || DateTimeOffset.UtcNow < until) return;
        if (!IsStatement(messageType)) return;
        var expired = session.IdentityTokenExpiresAt ?? until;
        var grace = until > expired ? $" (its grace period ended at {until:yyyy-MM-dd HH:mm:ss} UTC)" : "";
        throw new PgErrorException(SqlState.InvalidAuthorizationSpecification,
            $"terminating connection because the session's identity token expired at {expired:yyyy-MM-dd HH:mm:ss} UTC{grace}",
            PgErrorSeverity.Fatal, hint: "reconnect with a fresh identity token");
    }

    private static bool IsStatement(byte messageType) => messageType is FrontendMessageType.Query or FrontendMessageType.Parse
        or FrontendMessageType.Bind or FrontendMessageType.Execute or FrontendMessageType.Describe or FrontendMessageType.FunctionCall;

    /// <summary>The statement's error through the one response writer (counted by SQLSTATE, audited, a transaction
    /// block failed); then ReadyForQuery for a Query, or skipping to Sync in the extended protocol.</summary>
    private void OnStatementError(Session session, WireTransport transport, PgErrorException error, byte messageType)
    {
        responses.Error(session, error);
        if (messageType == FrontendMessageType.Query)
        {
            transport.Backend.ReadyForQuery(session.TransactionStatus);
            return;
        }
        session.SkipUntilSync = true;
    }
}
