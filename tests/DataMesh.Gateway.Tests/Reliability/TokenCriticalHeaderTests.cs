using DataMesh.Gateway.Tests.Identity;
using Microsoft.IdentityModel.Tokens;

namespace DataMesh.Gateway.Tests.Reliability;

/// <summary>
/// RFC 7515 §4.1.11: a token whose <c>crit</c> header names an extension the recipient does not understand must be
/// refused. The gateway understands none, so every <c>crit</c> refuses the token, over a real TLS sign-in. Each token is
/// signed correctly by the trusted provider: the probe signs in with the same header minus <c>crit</c>, so the
/// refusal can only be the <c>crit</c> header's doing.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class TokenCriticalHeaderTests(IdentityGateway gateway)
{
    private TestIdentityProvider Idp => gateway.Primary;

    private string Signed(string user, Action<Dictionary<string, object>> header)
    {
        var h = TestIdentityProvider.Header(SecurityAlgorithms.RsaSha256, Idp.Rsa.KeyId);
        header(h);
        return TestIdentityProvider.SignRaw(h, Idp.Claims(user), new SigningCredentials(Idp.Rsa, SecurityAlgorithms.RsaSha256));
    }

    [Fact]
    public async Task The_probe_a_token_signed_the_same_way_without_crit_signs_in()
    {
        var user = IdentityGateway.NewUser("critprobe");
        await using var connection = await gateway.OpenWithTokenAsync(user, Signed(user, h => h["exp2"] = 1));
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Theory]
    [InlineData("[\"exp2\"]")]         // an extension the gateway does not know, present in the header
    [InlineData("[\"b64\"]")]          // RFC 7797 unencoded payloads: not supported either
    [InlineData("[]")]                 // the RFC forbids an empty list
    [InlineData("[\"alg\"]")]          // the RFC forbids naming a registered header
    [InlineData("\"exp2\"")]           // not even a list
    public async Task A_token_with_a_crit_header_is_refused(string crit)
    {
        var user = IdentityGateway.NewUser("crit");
        var token = Signed(user, h =>
        {
            h["exp2"] = 1;
            h["crit"] = System.Text.Json.JsonDocument.Parse(crit).RootElement.Clone();
        });
        var e = await gateway.RefusedAsync(user, token);
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("marks header parameters as critical", e.MessageText);
        Assert.Contains("crit: " + crit, e.MessageText);
    }
}
