using DataMesh.Gateway.Authentication.Tokens;
using DataMesh.Gateway.Tests.Identity;
using Microsoft.IdentityModel.Tokens;

namespace DataMesh.Gateway.Tests.Authentication;

/// <summary>The validator on its own (no sockets): claim mapping and HMAC only when configured.</summary>
public sealed class TokenValidatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "datamesh-tests", "tv-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly TestIdentityProvider _idp;

    public TokenValidatorTests() => _idp = new TestIdentityProvider("https://unit.idp.example", _dir);

    private TokenValidator Validator(Func<TrustedIssuer, TrustedIssuer>? adjust = null)
    {
        var issuer = new TrustedIssuer { Issuer = _idp.Issuer, Audiences = [TestIdentityProvider.Audience], JwksFile = _idp.JwksPath };
        return new TokenValidator(new TokenOptions { Issuers = [adjust?.Invoke(issuer) ?? issuer] });
    }

    [Fact]
    public async Task Groups_map_to_domain_groups_and_scalar_claims_are_kept()
    {
        var validator = Validator(i => new TrustedIssuer
        {
            Issuer = i.Issuer, Audiences = i.Audiences, JwksFile = i.JwksFile,
            GroupMap = new Dictionary<string, string> { ["idp-analysts"] = "analysts" },
        });
        var claims = _idp.Claims("erin", ["idp-analysts", "other"]);
        claims["region"] = "Europe";
        claims["level"] = 3;
        var identity = await validator.ValidateAsync(_idp.Mint(claims), CancellationToken.None);
        Assert.Equal("erin", identity.UserName);
        Assert.Equal(["analysts", "other"], identity.Groups);
        Assert.Equal("Europe", identity.Claims["region"]);
        Assert.Equal("3", identity.Claims["level"]);
        Assert.False(identity.Claims.ContainsKey("groups")); // an array is not one value
    }

    [Fact]
    public async Task A_space_separated_groups_string_is_several_groups()
    {
        var claims = _idp.Claims("erin");
        claims["groups"] = "a b  c";
        var identity = await Validator().ValidateAsync(_idp.Mint(claims), CancellationToken.None);
        Assert.Equal(["a", "b", "c"], identity.Groups);
    }

    [Fact]
    public async Task Hs256_is_accepted_only_with_a_configured_secret()
    {
        const string secret = "a-shared-secret-of-at-least-32-bytes!!";
        var key = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(secret));
        var token = TestIdentityProvider.SignRaw(TestIdentityProvider.Header("HS256", null), _idp.Claims("erin"),
            new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
        var refused = await Assert.ThrowsAsync<TokenRejectedException>(() => Validator().ValidateAsync(token, CancellationToken.None));
        Assert.Contains("HMAC", refused.Message);
        var withSecret = Validator(i => new TrustedIssuer { Issuer = i.Issuer, Audiences = i.Audiences, JwksFile = i.JwksFile, HmacSecret = secret });
        Assert.Equal("erin", (await withSecret.ValidateAsync(token, CancellationToken.None)).UserName);
    }

    [Fact]
    public async Task A_token_without_the_user_name_claim_is_refused_with_28000()
    {
        var claims = _idp.Claims("erin");
        claims.Remove("preferred_username");
        var e = await Assert.ThrowsAsync<TokenRejectedException>(() => Validator().ValidateAsync(_idp.Mint(claims), CancellationToken.None));
        Assert.Equal("28000", e.SqlState);
        Assert.Contains("preferred_username", e.Message);
    }

    [Fact]
    public void Jwks_urls_must_be_https_or_loopback()
    {
        Assert.Equal("https", UrlJwksSource.CheckUrl("https://login.example.com/keys").Scheme);
        Assert.Equal("http", UrlJwksSource.CheckUrl("http://127.0.0.1:8080/keys").Scheme);
        Assert.Throws<ArgumentException>(() => UrlJwksSource.CheckUrl("http://login.example.com/keys"));
        Assert.Throws<ArgumentException>(() => UrlJwksSource.CheckUrl("file:///etc/passwd"));
    }

    public void Dispose()
    {
        _idp.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
