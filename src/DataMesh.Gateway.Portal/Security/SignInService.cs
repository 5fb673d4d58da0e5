using System.Net;
using System.Security.Cryptography;
using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Authentication.Tokens;

namespace DataMesh.Gateway.Portal.Security;

/// <summary>
/// Checks a sign-in: a local user's password against the stored SCRAM verifier (the SCRAM client key and stored key
/// are computed from the password here, on the server, and compared in constant time; the password is never kept),
/// or an identity-provider token through the wire's validator and just-in-time user store. Every attempt first waits
/// out the address's delay in the wire's login throttle, and counts there: guessing through the portal and the wire
/// shares one budget.
/// </summary>
public sealed class SignInService(PortalServices services)
{
    /// <summary>Compared against when the user does not exist, so a wrong name costs what a wrong password costs.</summary>
    private static readonly Lazy<ScramVerifier> Decoy = new(() => ScramVerifier.Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    public const string Failed = "Sign-in failed: wrong user name or password.";

    public async Task<(PortalUser? User, string? Error)> PasswordAsync(string user, string password, IPAddress remote, CancellationToken ct)
    {
        await services.Throttle.WaitAsync(remote, ct).ConfigureAwait(false);
        var verifier = user.Length is > 0 and <= 63 ? services.Users.FindVerifier(user) : null;
        var matches = (verifier ?? Decoy.Value).Matches(password);
        if (verifier is null || !matches)
        {
            services.Throttle.Failed(remote);
            return (null, Failed);
        }
        services.Throttle.Succeeded(remote);
        return (PortalUser.Local(user, Fingerprint(verifier)), null);
    }

    public async Task<(PortalUser? User, string? Error)> TokenAsync(string token, IPAddress remote, CancellationToken ct)
    {
        if (services.Tokens is not { } tokens) return (null, "This gateway trusts no identity provider.");
        await services.Throttle.WaitAsync(remote, ct).ConfigureAwait(false);
        try
        {
            var identity = await tokens.ValidateAsync(token, ct).ConfigureAwait(false);
            var user = services.Users.SignIn(identity);
            services.Throttle.Succeeded(remote);
            return (PortalUser.FromToken(user, identity), null);
        }
        catch (TokenRejectedException e)
        {
            services.Throttle.Failed(remote);
            return (null, "Identity token rejected: " + e.Message);
        }
    }

    /// <summary>
    /// Whether a session's user may go on: the user still exists, a local user's verifier is the one they signed in
    /// with (a password change or DROP USER ends their portal sessions), a token's expiry has not passed.
    /// </summary>
    public bool StillValid(PortalUser user, DateTimeOffset now)
    {
        if (user.Identity.ExpiresAt is { } expires && now >= expires) return false;
        var record = services.Catalog.Snapshot.User(user.Name);
        if (record is null) return false;
        if (user.VerifierFingerprint is null) return record.Verifier is null && record.Issuer == user.Identity.Issuer && record.Subject == user.Identity.Subject;
        return record.Verifier is { } v && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Fingerprint(ScramVerifier.Parse(v))), System.Text.Encoding.ASCII.GetBytes(user.VerifierFingerprint));
    }

    /// <summary>A hash of the verifier (never the verifier itself) to notice a password change.</summary>
    private static string Fingerprint(ScramVerifier verifier) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(verifier.ToString())))[..32];
}
