using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataMesh.Gateway.Tests.Identity;

/// <summary>
/// An identity provider made of real keys generated in the test (RSA 2048 and ECDSA P-256): it writes its JWKS file
/// and mints tokens, well-formed or deliberately broken ones (alg none, HMAC with the public key, tampered payloads).
/// </summary>
public sealed class TestIdentityProvider : IDisposable
{
    public const string Audience = "datamesh-test";

    public TestIdentityProvider(string issuer, string directory)
    {
        Issuer = issuer;
        Directory.CreateDirectory(directory);
        JwksPath = Path.Combine(directory, Guid.NewGuid().ToString("N")[..8] + "-jwks.json");
        Rsa = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-" + Guid.NewGuid().ToString("N")[..6] };
        Ec = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-" + Guid.NewGuid().ToString("N")[..6] };
        WriteJwks(Rsa, Ec);
    }

    public string Issuer { get; }
    public string JwksPath { get; }
    public RsaSecurityKey Rsa { get; }
    public ECDsaSecurityKey Ec { get; }

    /// <summary>Replaces the JWKS file with exactly these public keys (a key rotation at the provider).</summary>
    public void WriteJwks(params SecurityKey[] keys)
    {
        var jwks = keys.Select(k => k switch
        {
            RsaSecurityKey r => (JsonWebKey)JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(r.Rsa.ExportParameters(false)) { KeyId = r.KeyId }),
            ECDsaSecurityKey e => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(e.ECDsa.ExportParameters(false))) { KeyId = e.KeyId }),
            _ => throw new ArgumentException("unsupported key"),
        }).Select(j => j.Kty == "RSA"
            ? (object)new { kty = j.Kty, use = "sig", kid = j.Kid, n = j.N, e = j.E }
            : new { kty = j.Kty, use = "sig", kid = j.Kid, crv = j.Crv, x = j.X, y = j.Y });
        var temp = JwksPath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new { keys = jwks }));
        File.Move(temp, JwksPath, overwrite: true);
    }

    /// <summary>The standard claims of a valid token for <paramref name="user"/>, to adjust before minting.</summary>
    public Dictionary<string, object> Claims(string user, string[]? groups = null, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = Audience,
            ["sub"] = "sub-" + user,
            ["preferred_username"] = user,
            ["iat"] = now.AddSeconds(-5).ToUnixTimeSeconds(),
            ["nbf"] = now.AddSeconds(-5).ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromMinutes(10))).ToUnixTimeSeconds(),
        };
        if (groups is not null) claims["groups"] = groups;
        return claims;
    }

    public string Mint(string user, string[]? groups = null, string alg = SecurityAlgorithms.RsaSha256) => Mint(Claims(user, groups), alg);

    public string Mint(Dictionary<string, object> claims, string alg = SecurityAlgorithms.RsaSha256, SecurityKey? key = null)
    {
        key ??= alg.StartsWith("ES", StringComparison.Ordinal) ? Ec : Rsa;
        return SignRaw(Header(alg, key.KeyId), claims, new SigningCredentials(key, alg));
    }

    /// <summary>A token signed by <paramref name="key"/> whatever its kid says (for unknown-key and rotation tests).</summary>
    public static string SignRaw(Dictionary<string, object> header, Dictionary<string, object> claims, SigningCredentials credentials)
    {
        var signingInput = B64(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var provider = credentials.Key.CryptoProviderFactory.CreateForSigning(credentials.Key, credentials.Algorithm);
        var signature = provider.Sign(Encoding.ASCII.GetBytes(signingInput));
        credentials.Key.CryptoProviderFactory.ReleaseSignatureProvider(provider);
        return signingInput + "." + B64(signature);
    }

    /// <summary>An unsigned token (alg none), as an attacker would forge it.</summary>
    public string Unsigned(Dictionary<string, object> claims) =>
        B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT" }))
        + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims)) + ".";

    /// <summary>The classic key-confusion forgery: HS256 keyed with the provider's public key (its PEM text).</summary>
    public string HmacWithPublicKey(Dictionary<string, object> claims)
    {
        var secret = Encoding.UTF8.GetBytes(Rsa.Rsa.ExportSubjectPublicKeyInfoPem());
        var signingInput = B64(JsonSerializer.SerializeToUtf8Bytes(Header("HS256", Rsa.KeyId))) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        return signingInput + "." + B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>A valid token whose payload was replaced afterwards (the signature no longer covers it).</summary>
    public static string Tampered(string token, Dictionary<string, object> newClaims)
    {
        var parts = token.Split('.');
        return parts[0] + "." + B64(JsonSerializer.SerializeToUtf8Bytes(newClaims)) + "." + parts[2];
    }

    public static Dictionary<string, object> Header(string alg, string? kid)
    {
        var header = new Dictionary<string, object> { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null) header["kid"] = kid;
        return header;
    }

    public static string B64(byte[] bytes) => Base64UrlEncoder.Encode(bytes);

    public void Dispose()
    {
        Rsa.Rsa.Dispose();
        Ec.ECDsa.Dispose();
    }
}
