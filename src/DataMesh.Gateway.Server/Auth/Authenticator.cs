using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Connections;

namespace DataMesh.Gateway.Server.Auth;

/// <summary>
/// Runs the authentication exchange: SCRAM-SHA-256 (and -PLUS over TLS), or, over TLS only and when
/// configured, a cleartext password checked against the stored verifier. Failures are FATAL 28P01 and
/// never say whether the user exists. Failed attempts slow down the next ones from the same address (<see cref="LoginThrottle"/>).
/// </summary>
public sealed class Authenticator(IUserStore users, GatewayServerOptions options, LoginThrottle throttle)
{
    public async Task AuthenticateAsync(WireTransport transport, string userName, byte[]? channelBinding, bool tls,
        System.Net.IPAddress remote, CancellationToken ct)
    {
        // Before the challenge: a guesser learns nothing until the delay is over, however many sockets it opens.
        await throttle.WaitAsync(remote, ct).ConfigureAwait(false);
        var verifier = users.FindVerifier(userName);
        try
        {
            if (tls && options.CleartextPasswordOverTls)
            {
                transport.Backend.AuthenticationCleartextPassword();
                await transport.FlushAsync(ct).ConfigureAwait(false);
                var message = await ExpectPasswordMessage(transport, ct).ConfigureAwait(false);
                var password = PasswordMessage.Parse(message.Payload);
                if (verifier is null || !verifier.Matches(password)) throw new AuthenticationFailedException();
                throttle.Succeeded(remote);
                return;
            }

            string[] mechanisms = channelBinding is null
                ? [ScramServerExchange.Mechanism]
                : [ScramServerExchange.MechanismPlus, ScramServerExchange.Mechanism];
            transport.Backend.AuthenticationSasl(mechanisms);
            await transport.FlushAsync(ct).ConfigureAwait(false);

            var initial = SaslInitialResponse.Parse((await ExpectPasswordMessage(transport, ct).ConfigureAwait(false)).Payload);
            if (!mechanisms.Contains(initial.Mechanism))
                throw PgErrorException.Fatal(SqlState.ProtocolViolation, "client selected an invalid SASL authentication mechanism");
            var exchange = new ScramServerExchange(verifier, channelBinding);
            transport.Backend.AuthenticationSaslContinue(exchange.HandleClientFirst(initial.Mechanism, initial.Data));
            await transport.FlushAsync(ct).ConfigureAwait(false);

            var final = await ExpectPasswordMessage(transport, ct).ConfigureAwait(false);
            var serverFinal = exchange.HandleClientFinal(System.Buffers.BuffersExtensions.ToArray(final.Payload));
            transport.Backend.AuthenticationSaslFinal(serverFinal);
            throttle.Succeeded(remote);
        }
        catch (AuthenticationFailedException)
        {
            throttle.Failed(remote);
            throw PgErrorException.Fatal(SqlState.InvalidPassword, $"password authentication failed for user \"{userName}\"");
        }
        catch (AuthenticationProtocolException e)
        {
            throw PgErrorException.Fatal(SqlState.InvalidAuthorizationSpecification, e.Message);
        }
        catch (FormatException)
        {
            throw PgErrorException.Fatal(SqlState.ProtocolViolation, "malformed SCRAM message");
        }
    }

    private async Task<FrontendMessage> ExpectPasswordMessage(WireTransport transport, CancellationToken ct)
    {
        var message = await transport.ReadMessageAsync(8192, ct).ConfigureAwait(false)
            ?? throw new ClientDisconnectedException();
        if (message.Type != FrontendMessageType.Password)
            throw PgErrorException.ProtocolViolation($"expected password response, got message type {(char)message.Type}");
        return message;
    }
}
