namespace DataMesh.Gateway.Authentication.Tokens;

/// <summary>
/// Identity tokens (OIDC access or ID tokens, JWTs) accepted in place of a password: which issuers are trusted, how
/// their claims map onto gateway users and groups, and how the session's lifetime follows the token's.
/// </summary>
public sealed class TokenOptions
{
    public IReadOnlyList<TrustedIssuer> Issuers { get; init; } = [];

    /// <summary>Allowed difference between our clock and the issuer's for exp, nbf and iat.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a session may go on after its token's exp (zero: the next statement after exp is refused).</summary>
    public TimeSpan SessionGrace { get; init; } = TimeSpan.Zero;

    /// <summary>Offer SASL OAUTHBEARER (RFC 7628, PostgreSQL 18) over TLS instead of asking for the token as a password.</summary>
    public bool SaslOAuthBearer { get; init; }

    /// <summary>A startup user name that stands for "whoever the token says" (clients that require a user name).</summary>
    public const string UserPlaceholder = "token";

    public bool Enabled => Issuers.Count > 0;
}

/// <summary>One identity provider the gateway trusts.</summary>
public sealed class TrustedIssuer
{
    /// <summary>The exact <c>iss</c> value.</summary>
    public required string Issuer { get; init; }

    /// <summary>Accepted <c>aud</c> values; at least one must be present in the token.</summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    /// <summary>Where the issuer's signing keys are: a JWKS file (re-read when it changes) …</summary>
    public string? JwksFile { get; init; }

    /// <summary>… or an https:// URL (http:// only on loopback), cached for <see cref="JwksCacheDuration"/>.</summary>
    public string? JwksUrl { get; init; }

    public TimeSpan JwksCacheDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The shortest time between two fetches of <see cref="JwksUrl"/> when tokens name a key id the cache does not
    /// know (the provider rotated its keys, or someone is sending made-up key ids).
    /// </summary>
    public TimeSpan JwksMinimumRefresh { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The claim that names the gateway user: preferred_username, email or sub.</summary>
    public string UserNameClaim { get; init; } = "preferred_username";

    /// <summary>The claim holding the user's groups (an array of strings, or one space-separated string).</summary>
    public string GroupsClaim { get; init; } = "groups";

    /// <summary>Token group → domain group. A token group not named here maps to the domain group of the same name.</summary>
    public IReadOnlyDictionary<string, string> GroupMap { get; init; } = new Dictionary<string, string>();

    /// <summary>A shared secret for HS256/HS384/HS512. HMAC tokens are refused unless this is set.</summary>
    public string? HmacSecret { get; init; }
}
