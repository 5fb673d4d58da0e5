using System.Security.Cryptography;
using System.Text;

namespace DataMesh.Gateway.Authentication;

/// <summary>
/// A salted SCRAM-SHA-256 verifier (RFC 5802/7677) in PostgreSQL's text form
/// <c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c>. The password itself is never stored.
/// </summary>
public sealed record ScramVerifier(int Iterations, byte[] Salt, byte[] StoredKey, byte[] ServerKey)
{
    public const int DefaultIterations = 4096;
    private const string Prefix = "SCRAM-SHA-256$";

    public static ScramVerifier Create(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = SaltedPassword(password, salt, iterations);
        return new ScramVerifier(iterations, salt, StoredKeyOf(salted), HMAC(salted, "Server Key"u8));
    }

    /// <summary>
    /// The verifier an unknown user name gets, so that failing to sign in as one looks and costs the same as a wrong
    /// password for a real user: a salt that is the same at every attempt (a fresh random salt each time would tell
    /// a second attempt that the name is unknown), and keys nobody can match. Derived from <paramref name="key"/> with
    /// three HMACs, about what parsing a stored verifier costs (PBKDF2 here would make unknown names slower).
    /// </summary>
    public static ScramVerifier Mock(string userName, byte[] key)
    {
        var name = Encoding.UTF8.GetBytes(userName);
        byte[] Derive(string label) => HMACSHA256.HashData(key, (byte[])[.. Encoding.ASCII.GetBytes(label), 0, .. name]);
        return new ScramVerifier(DefaultIterations, Derive("mock salt")[..16], Derive("mock stored key"), Derive("mock server key"));
    }

    public static ScramVerifier Parse(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal)) throw new FormatException("not a SCRAM-SHA-256 verifier");
        var parts = text[Prefix.Length..].Split('$');
        var head = parts[0].Split(':');
        var keys = parts[1].Split(':');
        return new ScramVerifier(int.Parse(head[0], System.Globalization.CultureInfo.InvariantCulture),
            Convert.FromBase64String(head[1]), Convert.FromBase64String(keys[0]), Convert.FromBase64String(keys[1]));
    }

    public override string ToString() =>
        $"{Prefix}{Iterations}:{Convert.ToBase64String(Salt)}${Convert.ToBase64String(StoredKey)}:{Convert.ToBase64String(ServerKey)}";

    /// <summary>Checks a cleartext password (only accepted over TLS) against the verifier.</summary>
    public bool Matches(string password)
    {
        var salted = SaltedPassword(password, Salt, Iterations);
        return CryptographicOperations.FixedTimeEquals(StoredKeyOf(salted), StoredKey);
    }

    internal static byte[] SaltedPassword(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(SaslPrep(password)), salt, iterations, HashAlgorithmName.SHA256, 32);

    internal static byte[] StoredKeyOf(byte[] saltedPassword) => SHA256.HashData(HMAC(saltedPassword, "Client Key"u8));

    internal static byte[] HMAC(byte[] key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    // PostgreSQL applies SASLprep when it can and otherwise uses the raw bytes; NFKC covers the common cases.
    private static string SaslPrep(string password)
    {
        try
        {
            return password.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return password;
        }
    }
}
