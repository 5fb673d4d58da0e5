using DataMesh.Gateway.Authentication.Tokens;

namespace DataMesh.Gateway.Authentication;

/// <summary>Where the gateway looks up a user's verifier, and the users that identity tokens sign in as.</summary>
public interface IUserStore
{
    ScramVerifier? FindVerifier(string userName);

    /// <summary>
    /// What an unknown name is challenged with (<see cref="ScramVerifier.Mock"/>): the same salt at every attempt.
    /// The default key lives as long as the process; a store with a durable secret keeps it across restarts.
    /// </summary>
    ScramVerifier MockVerifier(string userName) => ScramVerifier.Mock(userName, MockKeys.Process);

    /// <summary>True for a user that signs in only with identity tokens (created by a token sign-in, no password).</summary>
    bool IsTokenUser(string userName) => false;

    /// <summary>
    /// The user a validated token signs in as, created just in time on its first sign-in. Throws
    /// <see cref="TokenRejectedException"/> (28000) when the name is a local user's or is bound to another identity.
    /// </summary>
    string SignIn(TokenIdentity identity) => throw TokenRejectedException.NotAuthorized("identity tokens are not accepted by this gateway");
}
