using System.Security.Claims;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Authentication.Tokens;
using DataMesh.Gateway.Policy.Identity;

namespace DataMesh.Gateway.Portal.Security;

/// <summary>
/// Who is signed in to the portal, as the gateway's layers see a caller: a local user (password checked against the
/// SCRAM verifier), or a user of an identity provider with the token's issuer, subject, groups, claims and expiry.
/// It travels in the encrypted session cookie, with the id of its server-side session (<see cref="PortalSessions"/>).
/// </summary>
public sealed record PortalUser(CallerIdentity Identity, string? VerifierFingerprint)
{
    /// <summary>The server-side session this sign-in started (set when it is signed in).</summary>
    public string? SessionId { get; init; }

    public const string Scheme = "datamesh";
    private const string IssuerClaim = "datamesh:iss", SubjectClaim = "datamesh:sub", GroupClaim = "datamesh:group",
        ExpiresClaim = "datamesh:exp", VerifierClaim = "datamesh:verifier", TokenClaimPrefix = "datamesh:claim:", SessionClaim = "datamesh:sid";

    public string Name => Identity.UserName;

    public AdminCaller Caller => new(Identity.UserName, Identity.Issuer, Identity.Subject, Identity.TokenGroups);

    public static PortalUser Local(string user, string verifierFingerprint) => new(CallerIdentity.Local(user), verifierFingerprint);

    public static PortalUser FromToken(string user, TokenIdentity token) =>
        new(new CallerIdentity(user, token.Issuer, token.Subject, token.Groups, token.Claims, token.ExpiresAt), null);

    public ClaimsPrincipal ToPrincipal()
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, Identity.UserName) };
        if (Identity.Issuer is { } iss) claims.Add(new Claim(IssuerClaim, iss));
        if (Identity.Subject is { } sub) claims.Add(new Claim(SubjectClaim, sub));
        claims.AddRange(Identity.TokenGroups.Select(g => new Claim(GroupClaim, g)));
        claims.AddRange(Identity.Claims.Select(c => new Claim(TokenClaimPrefix + c.Key, c.Value)));
        if (Identity.ExpiresAt is { } exp) claims.Add(new Claim(ExpiresClaim, exp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (VerifierFingerprint is { } v) claims.Add(new Claim(VerifierClaim, v));
        if (SessionId is { } sid) claims.Add(new Claim(SessionClaim, sid));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    public static PortalUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity is not { IsAuthenticated: true, Name: { } name }) return null;
        string? Value(string type) => principal.FindFirst(type)?.Value;
        var claims = principal.Claims.Where(c => c.Type.StartsWith(TokenClaimPrefix, StringComparison.Ordinal))
            .ToDictionary(c => c.Type[TokenClaimPrefix.Length..], c => c.Value, StringComparer.Ordinal);
        DateTimeOffset? expires = Value(ExpiresClaim) is { } e
            ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(e, System.Globalization.CultureInfo.InvariantCulture)) : null;
        var identity = new CallerIdentity(name, Value(IssuerClaim), Value(SubjectClaim),
            principal.FindAll(GroupClaim).Select(c => c.Value).ToList(), claims, expires);
        return new PortalUser(identity, Value(VerifierClaim)) { SessionId = Value(SessionClaim) };
    }
}
