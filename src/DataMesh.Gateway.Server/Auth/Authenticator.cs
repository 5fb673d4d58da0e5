using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Authentication.Tokens;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Framing;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server.Connections;

namespace DataMesh.Gateway.Server.Auth;

/// <summary>Who authenticated: the session's user name, and the validated token when one was used.</summary>
public sealed record SignedIn(string UserName, TokenIdentity? Token);

/// <summary>
/// Runs the authentication exchange. Local users: SCRAM-SHA-256 (and -PLUS over TLS), or, over TLS only and when
/// configured, a cleartext password checked against the stored verifier; failures are FATAL 28P01 and never say
/// whether the user exists. With identity tokens configured, any other user name signs in with a token, over TLS
/// only: as the password (AuthenticationCleartextPassword), or through SASL OAUTHBEARER when that is configured.
/// Failed attempts (a wrong password or a refused token) slow down the next ones from the same address (<see cref="LoginThrottle"/>).
/// </summary>
public sealed class Authenticator(IUserStore users, GatewayServerOptions options, LoginThrottle throttle)
{
    public async Task<SignedIn> AuthenticateAsync(WireTransport transport, string userName, byte[]? channelBinding, bool tls,
        System.Net.IPAddress remote, CancellationToken ct)
    {
        // Before the challenge: a guesser learns nothing until the delay is over, however many sockets it opens.
        await throttle.WaitAsync(remote, ct).ConfigureAwait(false);
        try
        {
            var signedIn = await SignInAsync(transport, userName, channelBinding, tls, ct).ConfigureAwait(false);
            throttle.Succeeded(remote);
            return signedIn;
        }
        catch (PgErrorException e) when (e.SqlState is SqlState.InvalidPassword or SqlState.InvalidAuthorizationSpecification)
        {
            throttle.Failed(remote);
            throw;
        }
    }

    private async Task<SignedIn> SignInAsync(WireTransport transport, string userName, byte[]? channelBinding, bool tls, CancellationToken ct)
    {
        var verifier = userName == TokenOptions.UserPlaceholder ? null : users.FindVerifier(userName);
        var tokens = options.Tokens;
        if (tokens is null || verifier is not null && !(tls && tokens.Options.SaslOAuthBearer))
        {
            await PasswordAsync(transport, userName, verifier, channelBinding, tls, oauthBearer: false, ct).ConfigureAwait(false);
            return new SignedIn(userName, null);
        }
        if (!tls)
        {
            // Asking for a token over plaintext would put it on the wire in the clear: a user known to sign in only with
            // tokens (and the placeholder) is refused before the client sends anything. Any other name gets the usual
            // SCRAM exchange (mock for unknown names), so plaintext answers still do not tell unknown names from local
            // users with a wrong password; SCRAM never sends the password itself, so a token typed there stays private.
            if (userName == TokenOptions.UserPlaceholder || users.IsTokenUser(userName))
                throw PgErrorException.Fatal(SqlState.InvalidAuthorizationSpecification,
                    $"TLS is required to sign in with an identity token: user \"{userName}\" signs in with tokens only; connect with sslmode=require");
            await PasswordAsync(transport, userName, verifier, channelBinding, tls, oauthBearer: false, ct).ConfigureAwait(false);
            return new SignedIn(userName, null);
        }
        if (tokens.Options.SaslOAuthBearer)
        {
            var token = await PasswordAsync(transport, userName, verifier, channelBinding, tls, oauthBearer: true, ct).ConfigureAwait(false);
            return token is null ? new SignedIn(userName, null) : token;
        }
        transport.Backend.AuthenticationCleartextPassword();
        await transport.FlushAsync(ct).ConfigureAwait(false);
        var password = PasswordMessage.Parse((await ExpectPasswordMessage(transport, ct).ConfigureAwait(false)).Payload);
        var identity = await ValidateAsync(tokens, password, ct).ConfigureAwait(false);
        return SignInAs(userName, identity);
    }

    /// <summary>SCRAM or a cleartext password for a local user; with <paramref name="oauthBearer"/>, SASL also offers OAUTHBEARER.</summary>
    private async Task<SignedIn?> PasswordAsync(WireTransport transport, string userName, ScramVerifier? verifier, byte[]? channelBinding,
        bool tls, bool oauthBearer, CancellationToken ct)
    {
        try
        {
            if (tls && options.CleartextPasswordOverTls && !oauthBearer)
            {
                transport.Backend.AuthenticationCleartextPassword();
                await transport.FlushAsync(ct).ConfigureAwait(false);
                var message = await ExpectPasswordMessage(transport, ct).ConfigureAwait(false);
                var password = PasswordMessage.Parse(message.Payload);
                // The same PBKDF2 for an unknown name as for a real one, so the answer takes as long either way.
                var matches = (verifier ?? users.MockVerifier(userName)).Matches(password);
                if (verifier is null || !matches) throw new AuthenticationFailedException();
                return null;
            }

            List<string> mechanisms = channelBinding is null
                ? [ScramServerExchange.Mechanism]
                : [ScramServerExchange.MechanismPlus, ScramServerExchange.Mechanism];
            if (oauthBearer) mechanisms.Add(OAuthBearerMessages.Mechanism);
            transport.Backend.AuthenticationSasl(mechanisms);
            await transport.FlushAsync(ct).ConfigureAwait(false);

            var initial = SaslInitialResponse.Parse((await ExpectPasswordMessage(transport, ct).ConfigureAwait(false)).Payload);
            if (!mechanisms.Contains(initial.Mechanism))
                throw PgErrorException.Fatal(SqlState.ProtocolViolation, "client selected an invalid SASL authentication mechanism");
            if (initial.Mechanism == OAuthBearerMessages.Mechanism)
                return await OAuthBearerAsync(transport, userName, initial.Data, ct).ConfigureAwait(false);
            var exchange = new ScramServerExchange(verifier, channelBinding, verifier is null ? users.MockVerifier(userName) : null);
            transport.Backend.AuthenticationSaslContinue(exchange.HandleClientFirst(initial.Mechanism, initial.Data));
            await transport.FlushAsync(ct).ConfigureAwait(false);

            var final = await ExpectPasswordMessage(transport, ct).ConfigureAwait(false);
            var serverFinal = exchange.HandleClientFinal(System.Buffers.BuffersExtensions.ToArray(final.Payload));
            transport.Backend.AuthenticationSaslFinal(serverFinal);
            return null;
        }
        catch (AuthenticationFailedException)
        {
            // With identity tokens configured every plaintext password failure says where tokens go (local users and
            // unknown names alike, so the hint tells nothing about which names exist).
            throw new PgErrorException(SqlState.InvalidPassword, $"password authentication failed for user \"{userName}\"", PgErrorSeverity.Fatal,
                hint: options.Tokens is not null && !tls ? "identity tokens are accepted only over TLS: connect with sslmode=require" : null);
        }
        catch (AuthenticationProtocolException e)
        {
            throw PgErrorException.Fatal(e.SqlState, e.Message, e.Detail);
        }
        catch (FormatException)
        {
            throw PgErrorException.Fatal(SqlState.ProtocolViolation, "malformed SCRAM message");
        }
    }

    /// <summary>
    /// RFC 7628 as PostgreSQL 18 runs it: the token arrives in the initial response; on failure the server sends a
    /// challenge with a JSON error, waits for the client's 0x01, then sends the ErrorResponse. Success needs no final message.
    /// </summary>
    private async Task<SignedIn> OAuthBearerAsync(WireTransport transport, string userName, byte[] data, CancellationToken ct)
    {
        var tokens = options.Tokens!;
        var token = OAuthBearerMessages.ParseInitialResponse(data);
        PgErrorException failure;
        try
        {
            if (token is null) throw TokenRejectedException.Invalid("the OAUTHBEARER exchange carried no bearer token");
            var identity = await ValidateAsync(tokens, token, ct).ConfigureAwait(false);
            return SignInAs(userName, identity);
        }
        catch (TokenRejectedException e)
        {
            failure = PgErrorException.Fatal(e.SqlState, e.Message);
        }
        catch (PgErrorException e) when (e.IsFatal && e.SqlState is SqlState.InvalidPassword or SqlState.InvalidAuthorizationSpecification)
        {
            failure = e;
        }
        transport.Backend.AuthenticationSaslContinue(OAuthBearerMessages.ErrorChallenge(tokens.Options.Issuers.FirstOrDefault()?.Issuer));
        await transport.FlushAsync(ct).ConfigureAwait(false);
        var ack = await ExpectPasswordMessage(transport, ct).ConfigureAwait(false);
        if (!OAuthBearerMessages.IsErrorAcknowledgement(System.Buffers.BuffersExtensions.ToArray(ack.Payload)))
            throw PgErrorException.Fatal(SqlState.ProtocolViolation, "malformed OAUTHBEARER message: expected the client's error acknowledgement");
        throw failure;
    }

    private static async Task<TokenIdentity> ValidateAsync(TokenValidator tokens, string token, CancellationToken ct)
    {
        try
        {
            return await tokens.ValidateAsync(token, ct).ConfigureAwait(false);
        }
        catch (TokenRejectedException e)
        {
            throw PgErrorException.Fatal(e.SqlState, "identity token rejected: " + e.Message);
        }
    }

    /// <summary>The startup user name must be the token's user (or the placeholder); the catalog user is created just in time.</summary>
    private SignedIn SignInAs(string startupUser, TokenIdentity identity)
    {
        if (startupUser != identity.UserName && startupUser != TokenOptions.UserPlaceholder)
            throw new PgErrorException(SqlState.InvalidAuthorizationSpecification,
                $"the identity token is for user \"{identity.UserName}\", but the connection asked for user \"{startupUser}\"",
                PgErrorSeverity.Fatal, hint: $"connect with user={identity.UserName} (or user={TokenOptions.UserPlaceholder})");
        try
        {
            return new SignedIn(users.SignIn(identity), identity);
        }
        catch (TokenRejectedException e)
        {
            throw PgErrorException.Fatal(e.SqlState, e.Message);
        }
    }

    private async Task<FrontendMessage> ExpectPasswordMessage(WireTransport transport, CancellationToken ct)
    {
        var message = await transport.ReadMessageAsync(options.Tokens is null ? 8192 : 32768, ct).ConfigureAwait(false)
            ?? throw new ClientDisconnectedException();
        if (message.Type != FrontendMessageType.Password)
            throw PgErrorException.ProtocolViolation($"expected password response, got message type {(char)message.Type}");
        return message;
    }
}
