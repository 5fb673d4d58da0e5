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
using DataMesh.Gateway.Server.Responses;
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
    ConnectionBudget budget,
    Notifications.NotificationHub notifications,
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
        // One token ends startup and authentication: the startup timeout until the startup packet is in, then what is
        // left of the authentication timeout, or a newer socket pushing this one out of the waiting budget.
        var accepted = System.Diagnostics.Stopwatch.GetTimestamp();
        using var authTimeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Stopping);
        authTimeout.CancelAfter(options.StartupTimeout < options.AuthenticationTimeout ? options.StartupTimeout : options.AuthenticationTimeout);
        using var slot = budget.Admit(RemoteAddress(), authTimeout);
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
            var left = options.AuthenticationTimeout - System.Diagnostics.Stopwatch.GetElapsedTime(accepted);
            authTimeout.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);

            transport = WireTransport.Over(stream);
            transport.Flushed = metrics.BytesStreamed;
            responses = new ResponseWriter(transport, options, auditor, metrics);

            try
            {
                await StartSessionAsync(transport, startup, tls, slot, authTimeout.Token).ConfigureAwait(false);
                await using var watch = DisconnectWatch.Start(socket, Session!, options.ClientConnectionCheckInterval, options.Time).ConfigureAwait(false);
                await new MessageLoop(transport, responses, Session!, options, services, lifetime, notifications, logger).RunAsync().ConfigureAwait(false);
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

    private async Task StartSessionAsync(WireTransport transport, StartupPacket startup, SslStream? tls, ConnectionBudget.Slot slot, CancellationToken ct)
    {
        if (startup.MinorVersion > 0 || startup.ProtocolOptions.Count > 0)
            transport.Backend.NegotiateProtocolVersion(0, startup.ProtocolOptions);
        if (!startup.Parameters.TryGetValue("user", out var user) || user.Length == 0)
            throw PgErrorException.Fatal(SqlState.InvalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet");
        var database = startup.Parameters.TryGetValue("database", out var db) && db.Length > 0 ? db : user;
        if (lifetime.IsStopping)
            throw PgErrorException.Fatal("57P03", "the database system is shutting down");
        // Before authentication: nothing of the catalog is read until it is loaded, and clients retry on 57P03.
        if (lifetime.IsStarting)
            throw PgErrorException.Fatal("57P03", "the gateway is starting up");
        CatalogStaleness.RequireReachable(services.Catalog);

        var binding = tls is not null && options.Certificate is not null ? ChannelBinding.TlsServerEndPoint(options.Certificate) : null;
        var signedIn = await authenticator.AuthenticateAsync(transport, user, binding, tls is not null, RemoteAddress(), ct).ConfigureAwait(false);
        // Only now does the connection take a session slot (53300 when the server, the user or the address is full).
        budget.SignIn(slot, signedIn.UserName);
        // A token names its own user: the session runs as the mapped user, whatever placeholder the client sent.
        if (!(startup.Parameters.TryGetValue("database", out var named) && named.Length > 0)) database = signedIn.UserName;
        user = signedIn.UserName;
        var identity = signedIn.Token is { } token
            ? new CallerIdentity(user, token.Issuer, token.Subject, token.Groups, token.Claims, token.ExpiresAt)
            : CallerIdentity.Local(user);
        var parameters = StartupParameters.Apply(user, startup.Parameters);
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
