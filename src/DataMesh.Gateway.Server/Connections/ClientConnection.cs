using System.Net.Security;
using System.Net.Sockets;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Policy.Identity;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Auth;
using DataMesh.Gateway.Server.Cancellation;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Queries;
using DataMesh.Gateway.Server.Responses;
using DataMesh.Gateway.Server.Statements;
using DataMesh.Gateway.Server.Sessions;
using DataMesh.Gateway.Server.Startup;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Server.Connections;

/// <summary>
/// The lifecycle of one client connection: startup negotiation (SSL/GSS/cancel), authentication, then the
/// message loop that hands each message to the simple or extended query handler. It owns the socket.
/// </summary>
internal sealed class ClientConnection(
    Socket socket,
    GatewayServerOptions options,
    Authenticator authenticator,
    GatewayServices services,
    Governance.QueryAuditor auditor,
    Observability.GatewayMetrics metrics,
    CancelRegistry cancels,
    ServerLifetime lifetime,
    bool overConnectionLimit,
    ILogger logger)
{
    public Session? Session { get; private set; }

    public async Task RunAsync()
    {
        socket.NoDelay = true;
        metrics.ConnectionAccepted();
        var network = new NetworkStream(socket, ownsSocket: false);
        Stream stream = network;
        SslStream? tls = null;
        WireTransport? transport = null;
        ResponseWriter? responses = null;
        using var authTimeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Stopping);
        authTimeout.CancelAfter(options.AuthenticationTimeout);
        try
        {
            StartupPacket? startup;
            while (true)
            {
                startup = await StartupReader.ReadAsync(stream, authTimeout.Token).ConfigureAwait(false);
                if (startup is null) return;
                if (startup.Kind == StartupPacketKind.CancelRequest)
                {
                    cancels.TryCancel(startup.CancelProcessId, startup.CancelSecretKey); // never answered
                    return;
                }
                if (startup.Kind == StartupPacketKind.GssEncRequest)
                {
                    await stream.WriteAsync("N"u8.ToArray(), authTimeout.Token).ConfigureAwait(false);
                    continue;
                }
                if (startup.Kind == StartupPacketKind.SslRequest)
                {
                    if (tls is not null) throw PgErrorException.ProtocolViolation("SSLRequest received on an encrypted connection");
                    // Bytes after the SSLRequest that arrived before our answer were sent in plaintext by a client
                    // that did not wait: processing them would let an attacker inject into the TLS session.
                    if (socket.Available > 0)
                    {
                        logger.LogWarning("Closing connection from {Remote}: plaintext data followed SSLRequest", socket.RemoteEndPoint);
                        return;
                    }
                    if (options.Certificate is null)
                    {
                        await stream.WriteAsync("N"u8.ToArray(), authTimeout.Token).ConfigureAwait(false);
                        continue;
                    }
                    await stream.WriteAsync("S"u8.ToArray(), authTimeout.Token).ConfigureAwait(false);
                    tls = new SslStream(network, leaveInnerStreamOpen: true);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = options.Certificate,
                        ClientCertificateRequired = false,
                    }, authTimeout.Token).ConfigureAwait(false);
                    stream = tls;
                    continue;
                }
                break;
            }

            transport = WireTransport.Over(stream);
            transport.Flushed = metrics.BytesStreamed;
            responses = new ResponseWriter(transport, options, auditor, metrics);

            try
            {
                await StartSessionAsync(transport, startup, tls, authTimeout.Token).ConfigureAwait(false);
                await MessageLoopAsync(transport, responses).ConfigureAwait(false);
            }
            catch (PgErrorException e) when (e.IsFatal)
            {
                await responses.FatalAsync(Session, e).ConfigureAwait(false);
            }
        }
        catch (PgErrorException e) when (e.IsFatal && transport is null)
        {
            // Startup-phase errors (bad packet, unsupported protocol) are written straight to the stream.
            await ResponseWriter.FatalBeforeStartupAsync(stream, e, metrics).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.IsStopping && (transport is not null || tls is null))
        {
            // Shut down while the connection was still starting (startup packet, authentication, session start): tell
            // the client why, as PostgreSQL does, instead of dropping the socket. A TLS handshake cut short has no
            // channel to say it on.
            var shutdown = PgErrorException.Fatal(SqlState.AdminShutdown, CancelReasons.Shutdown);
            if (responses is not null) await responses.FatalAsync(Session, shutdown).ConfigureAwait(false);
            else await ResponseWriter.FatalBeforeStartupAsync(stream, shutdown, metrics).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ClientDisconnectedException
            or SocketException or ObjectDisposedException or EndOfStreamException or System.Security.Authentication.AuthenticationException)
        {
            logger.LogDebug("Connection from {Remote} ended: {Reason}", SafeRemote(), e.GetType().Name);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Connection from {Remote} failed", SafeRemote());
        }
        finally
        {
            if (Session is not null)
            {
                cancels.Unregister(Session);
                Session.Dispose();
            }
            if (transport is not null) await transport.DisposeAsync().ConfigureAwait(false);
            tls?.Dispose();
            network.Dispose();
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception)
            {
                // already closed by the peer
            }
            socket.Dispose();
        }
    }

    private async Task StartSessionAsync(WireTransport transport, StartupPacket startup, SslStream? tls, CancellationToken ct)
    {
        if (startup.MinorVersion > 0 || startup.ProtocolOptions.Count > 0)
            transport.Backend.NegotiateProtocolVersion(0, startup.ProtocolOptions);
        if (!startup.Parameters.TryGetValue("user", out var user) || user.Length == 0)
            throw PgErrorException.Fatal(SqlState.InvalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet");
        var database = startup.Parameters.TryGetValue("database", out var db) && db.Length > 0 ? db : user;
        if (lifetime.IsStopping)
            throw PgErrorException.Fatal("57P03", "the database system is shutting down");
        if (overConnectionLimit)
            throw PgErrorException.Fatal(SqlState.TooManyConnections, "sorry, too many clients already");

        var binding = tls is not null && options.Certificate is not null ? ChannelBinding.TlsServerEndPoint(options.Certificate) : null;
        var signedIn = await authenticator.AuthenticateAsync(transport, user, binding, tls is not null, RemoteAddress(), ct).ConfigureAwait(false);
        // A token names its own user: the session runs as the mapped user, whatever placeholder the client sent.
        if (!(startup.Parameters.TryGetValue("database", out var named) && named.Length > 0)) database = signedIn.UserName;
        user = signedIn.UserName;
        var identity = signedIn.Token is { } token
            ? new CallerIdentity(user, token.Issuer, token.Subject, token.Groups, token.Claims, token.ExpiresAt)
            : CallerIdentity.Local(user);
        var parameters = new SessionParameters(user, startup.Parameters);
        var session = SessionOpener.Open(services, cancels, identity, database, parameters, options.Tokens?.Options.SessionGrace ?? TimeSpan.Zero);
        Session = session;

        var w = transport.Backend;
        w.AuthenticationOk();
        foreach (var (name, value) in parameters.Reportable) w.ParameterStatus(name, value);
        w.BackendKeyData(session.ProcessId, session.SecretKey);
        w.ReadyForQuery(TransactionStatus.Idle);
        // Not the authentication timeout's token: authentication is over, and a timeout firing during this flush (a
        // slow start on loaded cores) would drop a session the client already sees as open, right after its
        // ReadyForQuery (found by CI under a concurrent soak). Only shutdown interrupts it.
        await transport.FlushAsync(lifetime.Stopping).ConfigureAwait(false);
        logger.LogInformation("Session {Pid} started: user {User}, issuer {Issuer}, database {Database}, tls {Tls}, from {Remote}",
            session.ProcessId, user, identity.Issuer ?? "local", database, tls is not null, SafeRemote());
    }

    private async Task MessageLoopAsync(WireTransport transport, ResponseWriter responses)
    {
        var session = Session!;
        var context = new StatementContext(session, options, services.Governance, services.Engines, services.Admin, services.Catalog, services.Metadata);
        var simple = new SimpleQueryHandler(context, responses);
        var extended = new ExtendedQueryHandler(context, responses, transport);
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
                    maybe = await transport.ReadMessageAsync(options.MaxMessageBytes, idle.Token).ConfigureAwait(false);
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

            try
            {
                switch (message.Type)
                {
                    case FrontendMessageType.Query:
                        session.ClearCancel(); // a cancel that arrived before this message must not hit it
                        await simple.HandleAsync(QueryMessage.Parse(message.Payload).Sql).ConfigureAwait(false);
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
                OnStatementError(session, transport, responses, e, message.Type);
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
                OnStatementError(session, transport, responses, new PgErrorException(SqlState.InternalError, "internal error in the gateway"), message.Type);
            }
            if (message.Type == FrontendMessageType.Query && session.IsCancelRequested) session.ClearCancel();
        }
    }

    /// <summary>
    /// A session signed in with a token lives no longer than the token (plus the configured grace): the next
    /// statement after that is FATAL, and the client must reconnect with a fresh token.
    /// </summary>
    private static void RequireLiveIdentity(Session session, byte messageType)
    {
        if (session.IdentityExpiresAt is not { } until || DateTimeOffset.UtcNow < until) return;
        if (messageType is not (FrontendMessageType.Query or FrontendMessageType.Parse or FrontendMessageType.Bind
            or FrontendMessageType.Execute or FrontendMessageType.Describe or FrontendMessageType.FunctionCall)) return;
        var expired = session.IdentityTokenExpiresAt ?? until;
        var grace = until > expired ? $" (its grace period ended at {until:yyyy-MM-dd HH:mm:ss} UTC)" : "";
        throw new PgErrorException(SqlState.InvalidAuthorizationSpecification,
            $"terminating connection because the session's identity token expired at {expired:yyyy-MM-dd HH:mm:ss} UTC{grace}",
            PgErrorSeverity.Fatal, hint: "reconnect with a fresh identity token");
    }

    private static void OnStatementError(Session session, WireTransport transport, ResponseWriter responses, PgErrorException error, byte messageType)
    {
        responses.Error(session, error);
        if (messageType == FrontendMessageType.Query)
        {
            transport.Backend.ReadyForQuery(session.TransactionStatus);
            return;
        }
        session.SkipUntilSync = true;
    }

    private System.Net.IPAddress RemoteAddress()
    {
        try
        {
            return (socket.RemoteEndPoint as System.Net.IPEndPoint)?.Address ?? System.Net.IPAddress.None;
        }
        catch (ObjectDisposedException)
        {
            return System.Net.IPAddress.None;
        }
    }

    private string SafeRemote()
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "?";
        }
        catch (ObjectDisposedException)
        {
            return "?";
        }
    }
}
