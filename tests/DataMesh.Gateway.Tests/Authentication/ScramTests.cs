using System.Security.Cryptography;
using System.Text;
using DataMesh.Gateway.Authentication;

namespace DataMesh.Gateway.Tests.Authentication;

/// <summary>The server side of SCRAM-SHA-256 against an independent client computation (RFC 5802 / 7677).</summary>
public sealed class ScramTests
{
    [Fact]
    public void Verifier_round_trips_through_postgres_text_form_and_never_contains_the_password()
    {
        var verifier = ScramVerifier.Create("pencil");
        var text = verifier.ToString();
        Assert.StartsWith("SCRAM-SHA-256$4096:", text);
        Assert.DoesNotContain("pencil", text);
        var parsed = ScramVerifier.Parse(text);
        Assert.Equal(verifier.StoredKey, parsed.StoredKey);
        Assert.True(parsed.Matches("pencil"));
        Assert.False(parsed.Matches("pencil "));
    }

    [Fact]
    public void Rfc7677_test_vector_keys_verify_the_rfc_proof()
    {
        // RFC 7677 section 3: user "user", password "pencil".
        var salt = Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==");
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("pencil"), salt, 4096, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        var proof = Convert.FromBase64String("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        var signature = HMACSHA256.HashData(storedKey, Encoding.UTF8.GetBytes(authMessage));
        var clientKey = proof.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        Assert.Equal(storedKey, SHA256.HashData(clientKey));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        Assert.Equal("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Convert.ToBase64String(HMACSHA256.HashData(serverKey, Encoding.UTF8.GetBytes(authMessage))));
        // And the gateway's verifier derivation produces the same keys from the same inputs.
        var verifier = new ScramVerifier(4096, salt, storedKey, serverKey);
        Assert.True(verifier.Matches("pencil"));
    }

    [Fact]
    public void Full_exchange_succeeds_with_the_right_password() =>
        Assert.StartsWith("v=", Exchange(ScramVerifier.Create("secret"), "secret", channelBinding: null, plus: false));

    [Fact]
    public void Wrong_password_fails() =>
        Assert.Throws<AuthenticationFailedException>(() => Exchange(ScramVerifier.Create("secret"), "guess", null, false));

    [Fact]
    public void Unknown_user_fails_like_a_wrong_password() =>
        Assert.Throws<AuthenticationFailedException>(() => Exchange(null, "anything", null, false));

    [Fact]
    public void Channel_binding_is_checked()
    {
        var binding = SHA256.HashData("certificate"u8);
        Assert.StartsWith("v=", Exchange(ScramVerifier.Create("s"), "s", binding, plus: true));
        Assert.Throws<AuthenticationProtocolException>(() => Exchange(ScramVerifier.Create("s"), "s", binding, plus: true, clientBinding: SHA256.HashData("other"u8)));
    }

    [Fact]
    public void Client_claiming_no_binding_support_while_plus_was_offered_is_a_downgrade()
    {
        var exchange = new ScramServerExchange(ScramVerifier.Create("s"), SHA256.HashData("cert"u8));
        Assert.Throws<AuthenticationProtocolException>(() => exchange.HandleClientFirst(ScramServerExchange.Mechanism, "y,,n=,r=abc"u8));
    }

    private static string Exchange(ScramVerifier? verifier, string password, byte[]? channelBinding, bool plus, byte[]? clientBinding = null)
    {
        var exchange = new ScramServerExchange(verifier, channelBinding);
        var gs2 = plus ? "p=tls-server-end-point,," : "n,,";
        var clientNonce = "fyko+d2lbbFgONRv9qkxdawL";
        var clientFirstBare = $"n=,r={clientNonce}";
        var serverFirst = Encoding.UTF8.GetString(exchange.HandleClientFirst(plus ? ScramServerExchange.MechanismPlus : ScramServerExchange.Mechanism,
            Encoding.UTF8.GetBytes(gs2 + clientFirstBare)));
        var attrs = serverFirst.Split(',').ToDictionary(p => p[0], p => p[2..]);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(attrs['s']), int.Parse(attrs['i']), HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        byte[] cbind = [.. Encoding.UTF8.GetBytes(gs2), .. plus ? clientBinding ?? channelBinding! : []];
        var withoutProof = $"c={Convert.ToBase64String(cbind)},r={attrs['r']}";
        var authMessage = $"{clientFirstBare},{serverFirst},{withoutProof}";
        var signature = HMACSHA256.HashData(storedKey, Encoding.UTF8.GetBytes(authMessage));
        var proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        return Encoding.UTF8.GetString(exchange.HandleClientFinal(Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}")));
    }
}
