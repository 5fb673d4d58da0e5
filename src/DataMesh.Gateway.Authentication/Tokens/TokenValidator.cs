using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataMesh.Gateway.Authentication.Tokens;

/// <summary>
/// Validates an identity token (JWT) against the trusted issuers: the signature with the issuer's JWKS (RS256, PS256,
/// ES256; HMAC only with a configured secret; never <c>none</c>), then iss, aud, exp, nbf and iat with a small clock
/// skew. Pure of sockets: it takes the token text and answers an identity or a <see cref="TokenRejectedException"/>
/// whose message says what was wrong and never repeats the token.
/// </summary>
public sealed class TokenValidator
{
    private static readonly HashSet<string> AsymmetricAlgorithms = new(StringComparer.Ordinal)
    {
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256,
    };

    private static readonly HashSet<string> HmacAlgorithms = new(StringComparer.Ordinal)
    {
        SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512,
    };

    private readonly TokenOptions _options;
    private readonly Dictionary<string, (TrustedIssuer Issuer, JwksSource Keys)> _issuers;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public TokenValidator(TokenOptions options, Func<TrustedIssuer, JwksSource>? sources = null)
    {
        _options = options;
        _issuers = options.Issuers.ToDictionary(i => i.Issuer, i => (i, (sources ?? JwksSource.For)(i)), StringComparer.Ordinal);
    }

    public TokenOptions Options => _options;

    /// <summary>True when the text has the shape of a JWT (three base64url parts); says nothing about its validity.</summary>
    public static bool LooksLikeToken(string text) => text.Count(c => c == '.') == 2 && text.StartsWith("eyJ", StringComparison.Ordinal);

    public async Task<TokenIdentity> ValidateAsync(string token, CancellationToken ct)
    {
        if (token.Length > 16 * 1024) throw TokenRejectedException.Invalid("the identity token is too long");
        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException or FormatException)
        {
            throw TokenRejectedException.Invalid("the password is not a well-formed identity token (a signed JWT)");
        }
        if (jwt.IsEncrypted) throw TokenRejectedException.Invalid("encrypted identity tokens (JWE) are not accepted");
        if (CriticalHeaders(jwt) is { } critical)
            throw TokenRejectedException.Invalid($"the identity token marks header parameters as critical (crit: {Printable(critical)}) that this gateway does not understand");

        var alg = jwt.Alg ?? "";
        if (alg.Length == 0 || alg.Equals("none", StringComparison.OrdinalIgnoreCase))
            throw TokenRejectedException.Invalid("unsigned identity tokens (alg \"none\") are not accepted");
        var issuerName = jwt.Issuer;
        if (string.IsNullOrEmpty(issuerName) || !_issuers.TryGetValue(issuerName, out var trusted))
            throw TokenRejectedException.Invalid($"the token's issuer \"{Printable(issuerName)}\" is not trusted");
        var (issuer, source) = trusted;
        var hmac = HmacAlgorithms.Contains(alg);
        if (hmac && issuer.HmacSecret is null)
            throw TokenRejectedException.Invalid($"HMAC-signed tokens ({alg}) are not accepted from issuer \"{issuerName}\"");
        if (!hmac && !AsymmetricAlgorithms.Contains(alg))
            throw TokenRejectedException.Invalid($"signing algorithm \"{Printable(alg)}\" is not accepted (RS256, PS256 and ES256 are)");

        var keys = hmac ? [new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(issuer.HmacSecret!))] : await SigningKeysAsync(jwt, issuer, source, ct).ConfigureAwait(false);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidAudiences = issuer.Audiences,
            IssuerSigningKeys = keys,
            ValidAlgorithms = hmac ? HmacAlgorithms : AsymmetricAlgorithms,
            ClockSkew = _options.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            RequireAudience = true,
            ValidateIssuerSigningKey = true,
            TryAllIssuerSigningKeys = true,
        };
        var result = await _handler.ValidateTokenAsync(jwt, parameters).ConfigureAwait(false);
        if (!result.IsValid) throw Explain(result.Exception, jwt, issuerName);

        if (jwt.TryGetPayloadValue<long>("iat", out var iat)
            && DateTimeOffset.FromUnixTimeSeconds(iat) > DateTimeOffset.UtcNow + _options.ClockSkew)
            throw TokenRejectedException.Invalid("the identity token was issued in the future (iat); check the clocks");
        return Map(jwt, issuer);
    }

    /// <summary>
    /// The keys that may have signed the token: the one its kid names (refreshing the source once when it is unknown:
    /// the issuer may have rotated), or all the issuer's keys when the token names none.
    /// </summary>
    private static async Task<IReadOnlyList<SecurityKey>> SigningKeysAsync(JsonWebToken jwt, TrustedIssuer issuer, JwksSource source, CancellationToken ct)
    {
        var kid = jwt.Kid;
        var keys = await source.GetKeysAsync(refresh: false, ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(kid))
        {
            if (keys.Count == 0) keys = await source.GetKeysAsync(refresh: true, ct).ConfigureAwait(false);
            if (keys.Count == 0) throw TokenRejectedException.Invalid($"no signing keys are available for issuer \"{issuer.Issuer}\"");
            return keys;
        }
        var match = keys.Where(k => k.KeyId == kid).ToList();
        if (match.Count == 0)
        {
            keys = await source.GetKeysAsync(refresh: true, ct).ConfigureAwait(false);
            match = keys.Where(k => k.KeyId == kid).ToList();
        }
        if (match.Count == 0)
            throw TokenRejectedException.Invalid($"the token's signing key \"{Printable(kid)}\" is not one of the keys of issuer \"{issuer.Issuer}\"");
        return match;
    }

    /// <summary>
    /// RFC 7515 §4.1.11: a recipient must refuse a token whose <c>crit</c> header lists an extension it does not
    /// understand. The gateway understands none, so any <c>crit</c> (even an empty or malformed one, which the RFC
    /// forbids) refuses the token. Read from the raw header: the token library ignores <c>crit</c>. Null: none.
    /// </summary>
    private static string? CriticalHeaders(JsonWebToken jwt)
    {
        using var header = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedHeader));
        if (header.RootElement.ValueKind != JsonValueKind.Object) return "(header is not an object)";
        foreach (var property in header.RootElement.EnumerateObject())
        {
            if (property.NameEquals("crit")) return property.Value.GetRawText();
        }
        return null;
    }

    private static TokenRejectedException Explain(Exception? e, JsonWebToken jwt, string issuer) => e switch
    {
        SecurityTokenExpiredException x => TokenRejectedException.Invalid($"the identity token expired at {x.Expires:yyyy-MM-dd HH:mm:ss} UTC; get a fresh token"),
        SecurityTokenNotYetValidException x => TokenRejectedException.Invalid($"the identity token is not valid before {x.NotBefore:yyyy-MM-dd HH:mm:ss} UTC (nbf)"),
        SecurityTokenNoExpirationException => TokenRejectedException.Invalid("the identity token has no expiry (exp)"),
        SecurityTokenInvalidLifetimeException => TokenRejectedException.Invalid("the identity token's lifetime (nbf, exp) is invalid"),
        SecurityTokenInvalidAudienceException => TokenRejectedException.Invalid(
            $"the identity token's audience ({Printable(string.Join(", ", jwt.Audiences))}) is not accepted by this gateway"),
        SecurityTokenInvalidIssuerException => TokenRejectedException.Invalid($"the token's issuer \"{Printable(issuer)}\" is not trusted"),
        SecurityTokenInvalidAlgorithmException => TokenRejectedException.Invalid($"signing algorithm \"{Printable(jwt.Alg)}\" is not accepted"),
        SecurityTokenSignatureKeyNotFoundException => TokenRejectedException.Invalid($"the token's signing key is not one of the keys of issuer \"{issuer}\""),
        SecurityTokenInvalidSignatureException or SecurityTokenInvalidSigningKeyException =>
            TokenRejectedException.Invalid("the identity token's signature is not valid"),
        _ => TokenRejectedException.Invalid("the identity token is not valid"),
    };

    private static TokenIdentity Map(JsonWebToken jwt, TrustedIssuer issuer)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in jwt.Claims)
        {
            // Scalar claims only; an array claim (groups, aud) has several entries and is not one value.
            if (claims.ContainsKey(claim.Type)) claims[claim.Type] = "\0";
            else claims[claim.Type] = claim.Value;
        }
        foreach (var key in claims.Where(c => c.Value == "\0").Select(c => c.Key).ToList()) claims.Remove(key);

        var subject = jwt.Subject;
        if (string.IsNullOrEmpty(subject)) throw TokenRejectedException.Invalid("the identity token has no subject (sub)");
        var userName = jwt.TryGetPayloadValue<string>(issuer.UserNameClaim, out var name) ? name : null;
        if (string.IsNullOrWhiteSpace(userName))
            throw TokenRejectedException.NotAuthorized($"the identity token has no \"{issuer.UserNameClaim}\" claim to name the user");
        if (userName.Length > 63 || userName.Any(char.IsControl))
            throw TokenRejectedException.NotAuthorized($"the identity token's \"{issuer.UserNameClaim}\" claim is not a usable user name");
        return new TokenIdentity(userName, issuer.Issuer, subject, Groups(jwt, issuer), claims, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
    }

    private static List<string> Groups(JsonWebToken jwt, TrustedIssuer issuer)
    {
        var raw = jwt.Claims.Where(c => c.Type == issuer.GroupsClaim).Select(c => c.Value)
            .SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return raw.Select(g => issuer.GroupMap.TryGetValue(g, out var mapped) ? mapped : g).Distinct(StringComparer.Ordinal).ToList();
    }

    // Issuer names, key ids and algorithms come from the (unverified) token: keep them short and printable in messages.
    private static string Printable(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var clean = new string(s.Where(c => !char.IsControl(c)).Take(100).ToArray());
        return s.Length > 100 ? clean + "…" : clean;
    }
}
