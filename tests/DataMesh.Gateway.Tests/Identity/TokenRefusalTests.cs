using Microsoft.IdentityModel.Tokens;

namespace DataMesh.Gateway.Tests.Identity;

/// <summary>
/// Every way a token must fail, each its own test: FATAL 28P01 or 28000 with a message saying what was wrong, never
/// repeating the token (<see cref="IdentityGateway.RefusedAsync"/> checks that for each).
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class TokenRefusalTests(IdentityGateway gateway)
{
    private TestIdentityProvider Idp => gateway.Primary;

    [Fact]
    public async Task Alg_none_is_refused()
    {
        var user = IdentityGateway.NewUser("none");
        var e = await gateway.RefusedAsync(user, Idp.Unsigned(Idp.Claims(user)));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("alg \"none\"", e.MessageText);
    }

    [Fact]
    public async Task Hs256_signed_with_the_public_key_as_secret_is_refused()
    {
        var user = IdentityGateway.NewUser("hs");
        var e = await gateway.RefusedAsync(user, Idp.HmacWithPublicKey(Idp.Claims(user)));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("HMAC", e.MessageText);
    }

    [Fact]
    public async Task A_tampered_payload_is_refused()
    {
        var user = IdentityGateway.NewUser("tamper");
        var token = Idp.Mint(user);
        var forged = Idp.Claims(user, ["analysts"]); // the attacker adds a group
        var e = await gateway.RefusedAsync(user, TestIdentityProvider.Tampered(token, forged), "ml_research");
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("signature", e.MessageText);
    }

    [Fact]
    public async Task A_wrong_issuer_is_refused()
    {
        var user = IdentityGateway.NewUser("iss");
        var claims = Idp.Claims(user);
        claims["iss"] = "https://evil.example";
        var e = await gateway.RefusedAsync(user, Idp.Mint(claims));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("issuer \"https://evil.example\" is not trusted", e.MessageText);
    }

    [Fact]
    public async Task A_key_of_one_trusted_issuer_cannot_sign_for_another()
    {
        var user = IdentityGateway.NewUser("cross");
        var claims = gateway.Second.Claims(user);
        claims["email"] = user;
        claims["iss"] = Idp.Issuer; // claims the primary issuer, signed with the second issuer's key
        var e = await gateway.RefusedAsync(user, gateway.Second.Mint(claims));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("signing key", e.MessageText);
    }

    [Fact]
    public async Task A_wrong_audience_is_refused()
    {
        var user = IdentityGateway.NewUser("aud");
        var claims = Idp.Claims(user);
        claims["aud"] = "some-other-api";
        var e = await gateway.RefusedAsync(user, Idp.Mint(claims));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("audience (some-other-api)", e.MessageText);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var user = IdentityGateway.NewUser("exp");
        var claims = Idp.Claims(user);
        claims["iat"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
        claims["nbf"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
        claims["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
        var e = await gateway.RefusedAsync(user, Idp.Mint(claims));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("expired", e.MessageText);
    }

    [Fact]
    public async Task A_token_not_yet_valid_is_refused()
    {
        var user = IdentityGateway.NewUser("nbf");
        var claims = Idp.Claims(user);
        claims["nbf"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        claims["exp"] = DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds();
        var e = await gateway.RefusedAsync(user, Idp.Mint(claims));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("not valid before", e.MessageText);
    }

    [Fact]
    public async Task A_token_issued_in_the_future_is_refused()
    {
        var user = IdentityGateway.NewUser("iat");
        var claims = Idp.Claims(user);
        claims["iat"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var e = await gateway.RefusedAsync(user, Idp.Mint(claims));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("issued in the future", e.MessageText);
    }

    [Fact]
    public async Task A_token_without_expiry_is_refused()
    {
        var user = IdentityGateway.NewUser("noexp");
        var claims = Idp.Claims(user);
        claims.Remove("exp");
        var e = await gateway.RefusedAsync(user, Idp.Mint(claims));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("exp", e.MessageText);
    }

    [Fact]
    public async Task An_unknown_kid_is_refused()
    {
        var user = IdentityGateway.NewUser("kid");
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var stranger = new RsaSecurityKey(rsa) { KeyId = "not-published" };
        var e = await gateway.RefusedAsync(user, Idp.Mint(Idp.Claims(user), SecurityAlgorithms.RsaSha256, stranger));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("signing key \"not-published\"", e.MessageText);
    }

    [Fact]
    public async Task A_known_kid_with_a_foreign_signature_is_refused()
    {
        var user = IdentityGateway.NewUser("kid2");
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var impostor = new RsaSecurityKey(rsa) { KeyId = Idp.Rsa.KeyId }; // claims the published kid
        var e = await gateway.RefusedAsync(user, Idp.Mint(Idp.Claims(user), SecurityAlgorithms.RsaSha256, impostor));
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("signature", e.MessageText);
    }

    [Fact]
    public async Task A_token_over_plaintext_is_refused_before_it_is_sent()
    {
        var user = IdentityGateway.NewUser("plain");
        await using (await gateway.OpenWithTokenAsync(user, Idp.Mint(user))) { } // the user now exists (token sign-in)
        var e = await gateway.RefusedAsync(user, Idp.Mint(user), tls: false);
        Assert.Equal("28000", e.SqlState);
        Assert.Contains("TLS is required", e.MessageText);
        var placeholder = await gateway.RefusedAsync("token", Idp.Mint(user), tls: false);
        Assert.Equal("28000", placeholder.SqlState);
        Assert.Contains("TLS is required", placeholder.MessageText);
    }

    [Fact]
    public async Task Over_plaintext_an_unknown_name_still_looks_like_a_wrong_password_and_points_to_tls()
    {
        // SCRAM never sends the password, so the token stays private; the answer is the one a local user with a
        // wrong password gets, so names cannot be probed.
        var unknown = await gateway.RefusedAsync(IdentityGateway.NewUser("first"), Idp.Mint("first"), tls: false);
        var local = await gateway.RefusedAsync("alice", "wrong-password", tls: false);
        Assert.Equal("28P01", unknown.SqlState);
        Assert.Equal(local.SqlState, unknown.SqlState);
        Assert.Equal(local.Hint, unknown.Hint);
        Assert.Contains("sslmode=require", unknown.Hint);
    }

    [Fact]
    public async Task A_user_name_mismatch_is_refused()
    {
        var user = IdentityGateway.NewUser("mis");
        var e = await gateway.RefusedAsync("carol", Idp.Mint(user));
        Assert.Equal("28P01", e.SqlState); // carol is a local user: SCRAM, and the token is no password of hers
        var other = await gateway.RefusedAsync(IdentityGateway.NewUser("other"), Idp.Mint(user));
        Assert.Equal("28000", other.SqlState);
        Assert.Contains($"the identity token is for user \"{user}\"", other.MessageText);
    }

    [Fact]
    public async Task A_token_cannot_sign_in_as_a_local_user()
    {
        var e = await gateway.RefusedAsync("token", Idp.Mint("carol"));
        Assert.Equal("28000", e.SqlState);
        Assert.Contains("local user", e.MessageText);
    }

    [Fact]
    public async Task A_second_identity_cannot_take_over_a_just_in_time_user()
    {
        var user = IdentityGateway.NewUser("owner");
        await using (await gateway.OpenWithTokenAsync(user, Idp.Mint(user))) { }
        var claims = Idp.Claims(user);
        claims["sub"] = "someone-else";
        var e = await gateway.RefusedAsync(user, Idp.Mint(claims));
        Assert.Equal("28000", e.SqlState);
        Assert.Contains("another identity", e.MessageText);
    }

    [Fact]
    public async Task A_missing_groups_claim_grants_no_project_access()
    {
        var user = IdentityGateway.NewUser("nogrp");
        var e = await gateway.RefusedAsync(user, Idp.Mint(user, groups: null), "ml_research");
        Assert.Equal("42501", e.SqlState);
        // The home database still works: the identity is valid, it just belongs to no project.
        await using var home = await gateway.OpenWithTokenAsync(user, Idp.Mint(user, groups: null));
        Assert.Equal(user, (await IdentityGateway.RowsAsync(home, "SELECT current_user"))[0][0]);
    }

    [Fact]
    public async Task A_password_that_is_not_a_token_is_refused()
    {
        var e = await gateway.RefusedAsync(IdentityGateway.NewUser("pw"), "hunter2");
        Assert.Equal("28P01", e.SqlState);
        Assert.Contains("not a well-formed identity token", e.MessageText);
    }
}
