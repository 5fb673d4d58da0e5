using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>An independent SCRAM-SHA-256 client (RFC 5802), so raw-socket tests can get past authentication.</summary>
public static class RawLogin
{
    /// <summary>Connects, authenticates and reads up to the first ReadyForQuery.</summary>
    public static async Task<RawClient> ConnectAsync(GatewayFixture gateway, string user = "alice", string? password = null)
    {
        var client = await RawClient.ConnectAsync(gateway);
        await client.SendAsync(RawClient.StartupMessage(user, "marketing"));
        await AuthenticateAsync(client, user, password ?? user);
        await client.ReadUntilAsync('Z');
        return client;
    }

    public static async Task AuthenticateAsync(RawClient client, string user, string password)
    {
        var sasl = await client.ReadMessageAsync() ?? throw new EndOfStreamException();
        if (sasl.Type != 'R' || BinaryPrimitives.ReadInt32BigEndian(sasl.Payload) != 10)
            throw new InvalidOperationException($"expected AuthenticationSASL, got '{sasl.Type}'");

        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var clientFirstBare = $"n=,r={nonce}";
        var clientFirst = Encoding.UTF8.GetBytes("n,," + clientFirstBare);
        await client.SendAsync(RawClient.Message('p',
            [.. "SCRAM-SHA-256"u8, 0, .. RawClient.BigEndian(clientFirst.Length), .. clientFirst]));

        var cont = await client.ReadMessageAsync() ?? throw new EndOfStreamException();
        if (cont.Type == 'E') throw new InvalidOperationException("server refused: " + RawClient.Field(cont.Payload, 'M'));
        var serverFirst = Encoding.UTF8.GetString(cont.Payload, 4, cont.Payload.Length - 4);
        var attrs = serverFirst.Split(',').ToDictionary(p => p[0], p => p[2..]);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(attrs['s']),
            int.Parse(attrs['i']), HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var withoutProof = $"c=biws,r={attrs['r']}";
        var authMessage = Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{withoutProof}");
        var signature = HMACSHA256.HashData(storedKey, authMessage);
        var proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        await client.SendAsync(RawClient.Message('p', Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}")));

        var final = await client.ReadMessageAsync() ?? throw new EndOfStreamException();
        if (final.Type == 'E') throw new InvalidOperationException("authentication failed: " + RawClient.Field(final.Payload, 'M'));
    }
}
