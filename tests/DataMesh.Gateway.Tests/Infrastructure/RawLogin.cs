using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>An ErrorResponse received where the test expected progress.</summary>
public sealed class ServerErrorException(byte[] payload)
    : Exception($"server error {RawClient.SqlState(payload)}: {RawClient.Field(payload, 'M')}")
{
    public byte[] Payload { get; } = payload;
}

/// <summary>An independent SCRAM-SHA-256 client (RFC 5802), so raw-socket tests can get past authentication.</summary>
public static class RawLogin
{
    /// <summary>Connects, sends a StartupMessage for database marketing and authenticates.</summary>
    public static async Task<RawClient> ConnectAsync(GatewayFixture gateway, string user = "alice", string? password = null)
    {
        var client = await RawClient.ConnectAsync(gateway);
        await client.SendAsync(RawClient.StartupMessage(user, "marketing"));
        await AuthenticateAsync(client, user, password ?? user);
        return client;
    }

    /// <summary>
    /// Runs SCRAM-SHA-256 (RFC 5802, no channel binding) after a StartupMessage was sent, up to ReadyForQuery, and
    /// checks the server's signature. Returns the messages after SASLFinal (AuthenticationOk, ParameterStatus…,
    /// BackendKeyData, ReadyForQuery). Throws <see cref="ServerErrorException"/> when the server sends an ErrorResponse.
    /// </summary>
    /// <param name="tamperNonce">Send a client-final-message whose nonce is not the server's (a broken or hostile client).</param>
    public static async Task<List<(char Type, byte[] Payload)>> AuthenticateAsync(RawClient client, string user, string password, bool tamperNonce = false)
    {

        var sasl = await ExpectAsync(client, 'R');
        Assert.Equal(10, BinaryPrimitives.ReadInt32BigEndian(sasl));
        var mechanisms = CStrings(sasl.AsSpan(4));
        Assert.Contains("SCRAM-SHA-256", mechanisms);

        var clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var clientFirstBare = $"n=,r={clientNonce}";
        var clientFirst = Encoding.UTF8.GetBytes("n,," + clientFirstBare);
        byte[] initial = [.. "SCRAM-SHA-256\0"u8, .. RawClient.BigEndian(clientFirst.Length), .. clientFirst];
        await client.SendAsync(RawClient.Message('p', initial));

        var cont = await ExpectAsync(client, 'R');
        Assert.Equal(11, BinaryPrimitives.ReadInt32BigEndian(cont));
        var serverFirst = Encoding.UTF8.GetString(cont, 4, cont.Length - 4);
        var attributes = serverFirst.Split(',').ToDictionary(p => p[0], p => p[2..]);
        var nonce = attributes['r'];
        Assert.StartsWith(clientNonce, nonce);
        Assert.True(nonce.Length > clientNonce.Length, "the server must extend the client nonce");
        var salt = Convert.FromBase64String(attributes['s']);
        var iterations = int.Parse(attributes['i'], System.Globalization.CultureInfo.InvariantCulture);

        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        if (tamperNonce) nonce = nonce[..^2] + (nonce.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");
        var clientFinalWithoutProof = $"c=biws,r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{clientFinalWithoutProof}");
        var clientSignature = HMACSHA256.HashData(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++) proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        var clientFinal = $"{clientFinalWithoutProof},p={Convert.ToBase64String(proof)}";
        await client.SendAsync(RawClient.Message('p', Encoding.UTF8.GetBytes(clientFinal)));

        var final = await ExpectAsync(client, 'R');
        Assert.Equal(12, BinaryPrimitives.ReadInt32BigEndian(final));
        var serverFinal = Encoding.UTF8.GetString(final, 4, final.Length - 4);
        var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
        var expectedServerSignature = Convert.ToBase64String(HMACSHA256.HashData(serverKey, authMessage));
        Assert.Equal("v=" + expectedServerSignature, serverFinal);

        // Up to ReadyForQuery, or an ErrorResponse: a FATAL after authentication (a refused startup parameter) ends the
        // connection without one.
        var rest = new List<(char Type, byte[] Payload)>();
        while (rest.Count == 0 || rest[^1].Type != 'Z')
        {
            var message = await client.ReadMessageAsync() ?? throw new EndOfStreamException(
                $"connection closed after authentication without an error; got {string.Join(",", rest.Select(m => m.Type))}");
            if (message.Type == 'E') throw new ServerErrorException(message.Payload);
            rest.Add(message);
        }
        Assert.Equal('R', rest[0].Type);
        Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(rest[0].Payload));
        return rest;
    }

    private static async Task<byte[]> ExpectAsync(RawClient client, char type)
    {
        var message = await client.ReadMessageAsync() ?? throw new EndOfStreamException($"connection closed while waiting for '{type}'");
        if (message.Type == 'E') throw new ServerErrorException(message.Payload);
        Assert.Equal(type, message.Type);
        return message.Payload;
    }

    private static List<string> CStrings(ReadOnlySpan<byte> data)
    {
        var list = new List<string>();
        while (data.Length > 0 && data[0] != 0)
        {
            var end = data.IndexOf((byte)0);
            list.Add(Encoding.UTF8.GetString(data[..end]));
            data = data[(end + 1)..];
        }
        return list;
    }
}
