using System.Security.Cryptography;
using DataMesh.Gateway.Authentication.Tokens;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataMesh.Gateway.Demo;

/// <summary>
/// The demo's own identity provider: an RSA signing key and its JWKS in the data directory (made on the first
/// <c>serve --demo</c>), trusted as issuer <see cref="Issuer"/>, and <c>datamesh dev-token</c> to mint tokens with it.
/// Demo only: a real deployment trusts its organisation's identity provider instead.
/// </summary>
public static class DemoIdentity
{
    public const string Issuer = "urn:datamesh:demo-idp";
    public const string Audience = "datamesh";
    public const string KeyFile = "demo-idp-key.pem";
    public const string JwksFileName = "demo-idp-jwks.json";

    public static string JwksPath(string dataDirectory) => Path.Combine(dataDirectory, JwksFileName);

    /// <summary>
    /// Creates the demo key and JWKS once (called under the demo set-up's lock, so two gateways starting on one data
    /// directory cannot each make a key); later starts reuse them so tokens minted earlier stay valid. The JWKS is
    /// written first and both files are moved into place whole, so the key's presence means both are complete.
    /// </summary>
    public static void EnsureKeys(string dataDirectory)
    {
        var keyPath = Path.Combine(dataDirectory, KeyFile);
        if (File.Exists(keyPath) && File.Exists(JwksPath(dataDirectory))) return;
        using var rsa = RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = KeyId(rsa) });
        jwk.Use = "sig";
        jwk.Alg = SecurityAlgorithms.RsaSha256;
        WriteWhole(JwksPath(dataDirectory), Jwks(jwk), secret: false);
        WriteWhole(keyPath, rsa.ExportPkcs8PrivateKeyPem(), secret: true);
    }

    private static void WriteWhole(string path, string text, bool secret)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        if (secret && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }

    public static TrustedIssuer TrustedIssuer(string dataDirectory) => new()
    {
        Issuer = Issuer,
        Audiences = [Audience],
        JwksFile = JwksPath(dataDirectory),
    };

    /// <summary>True for a data directory that <c>serve --demo</c> prepared (dev-token refuses any other).</summary>
    public static bool IsDemoDirectory(string dataDirectory) =>
        File.Exists(Path.Combine(dataDirectory, ".demo-seeded")) && File.Exists(Path.Combine(dataDirectory, KeyFile));

    /// <summary>A token for <paramref name="user"/> signed with the demo key (RS256), with groups and extra claims.</summary>
    public static string Mint(string dataDirectory, string user, IReadOnlyList<string> groups, TimeSpan lifetime,
        IReadOnlyDictionary<string, string>? claims = null)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(dataDirectory, KeyFile)));
        var key = new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = KeyId(rsa) };
        var now = DateTime.UtcNow;
        var payload = new Dictionary<string, object>
        {
            ["sub"] = "demo|" + user,
            ["preferred_username"] = user,
            ["groups"] = groups.ToArray(),
        };
        foreach (var (name, value) in claims ?? new Dictionary<string, string>()) payload[name] = value;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = payload,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static string KeyId(RSA rsa) => Convert.ToHexString(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()), 0, 8).ToLowerInvariant();

    private static string Jwks(JsonWebKey key) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = key.Kty, use = key.Use, alg = key.Alg, kid = key.Kid, n = key.N, e = key.E } },
        });

    /// <summary>"1h", "30m", "90s", "2d" or plain seconds.</summary>
    public static TimeSpan ParseLifetime(string text)
    {
        var unit = text[^1];
        var number = char.IsDigit(unit) ? text : text[..^1];
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new ArgumentException($"--ttl \"{text}\" is not a duration such as 1h, 30m or 90s");
        return unit switch
        {
            'd' => TimeSpan.FromDays(value),
            'h' => TimeSpan.FromHours(value),
            'm' => TimeSpan.FromMinutes(value),
            's' or (>= '0' and <= '9') => TimeSpan.FromSeconds(value),
            _ => throw new ArgumentException($"--ttl \"{text}\" is not a duration such as 1h, 30m or 90s"),
        };
    }
}
