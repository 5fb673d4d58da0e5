using System.Security.Cryptography;
using System.Text;

namespace DataMesh.Gateway.Authentication;

/// <summary>
/// The server side of one SCRAM-SHA-256 exchange. With a <c>tls-server-end-point</c> hash it also accepts
/// SCRAM-SHA-256-PLUS and checks that the client bound the exchange to this TLS channel.
/// A user that does not exist gets a fake exchange (mock salt), so failures look the same to the client.
/// </summary>
public sealed class ScramServerExchange
{
    public const string Mechanism = "SCRAM-SHA-256";
    public const string MechanismPlus = "SCRAM-SHA-256-PLUS";

    private readonly ScramVerifier _verifier;
    private readonly bool _userExists;
    private readonly byte[]? _channelBindingHash;
    private string _clientFirstBare = "";
    private string _serverFirst = "";
    private string _nonce = "";
    private string _gs2Header = "";

    /// <param name="mock">What an unknown user (<paramref name="verifier"/> null) is challenged with; null: a random one.</param>
    public ScramServerExchange(ScramVerifier? verifier, byte[]? channelBindingHash, ScramVerifier? mock = null)
    {
        _userExists = verifier is not null;
        _verifier = verifier ?? mock ?? ScramVerifier.Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)));
        _channelBindingHash = channelBindingHash;
    }

    /// <summary>Handles client-first-message; returns server-first-message.</summary>
    public byte[] HandleClientFirst(string mechanism, ReadOnlySpan<byte> message)
    {
        var text = Encoding.UTF8.GetString(message);
        // gs2-header: "n,," (no binding), "y,," (client could bind but thinks we cannot), "p=tls-server-end-point,,"
        var firstComma = text.IndexOf(',');
        var secondComma = firstComma < 0 ? -1 : text.IndexOf(',', firstComma + 1);
        if (secondComma < 0) throw Fail("malformed SCRAM message");
        var flag = text[..firstComma];
        _gs2Header = text[..(secondComma + 1)];
        var plus = mechanism == MechanismPlus;
        if (plus)
        {
            if (_channelBindingHash is null) throw Fail("channel binding is only offered over TLS");
            if (flag != "p=tls-server-end-point") throw Fail("unsupported SCRAM channel-binding type");
        }
        else if (mechanism != Mechanism)
        {
            throw Fail("unsupported SASL mechanism");
        }
        else if (flag.StartsWith("p=", StringComparison.Ordinal))
        {
            throw Fail("channel binding requested with a mechanism that does not support it");
        }
        else if (flag == "y" && _channelBindingHash is not null)
        {
            // RFC 5802: the client supports binding and believes we do not, but we offered -PLUS: a downgrade.
            throw Fail("SCRAM channel binding negotiation error");
        }
        else if (flag is not ("n" or "y"))
        {
            throw Fail("malformed SCRAM message");
        }

        _clientFirstBare = text[(secondComma + 1)..];
        var clientNonce = Attribute(_clientFirstBare, 'r') ?? throw Fail("malformed SCRAM message: nonce missing");
        _nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_verifier.Salt)},i={_verifier.Iterations}";
        return Encoding.UTF8.GetBytes(_serverFirst);
    }

    /// <summary>Handles client-final-message; returns server-final-message, or throws when the proof is wrong.</summary>
    public byte[] HandleClientFinal(ReadOnlySpan<byte> message)
    {
        var text = Encoding.UTF8.GetString(message);
        var proofIndex = text.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofIndex < 0) throw Fail("malformed SCRAM message: proof missing");
        var withoutProof = text[..proofIndex];
        var proof = Convert.FromBase64String(text[(proofIndex + 3)..]);
        var channel = Attribute(withoutProof, 'c') ?? throw Fail("malformed SCRAM message: channel binding missing");
        var nonce = Attribute(withoutProof, 'r');
        // PostgreSQL's answer to a client-final-message whose nonce is not the one the server sent: a protocol violation.
        if (nonce != _nonce) throw new AuthenticationProtocolException("invalid SCRAM response", ProtocolViolation, "Nonce does not match.");

        var expectedChannel = Encoding.UTF8.GetBytes(_gs2Header);
        if (_gs2Header.StartsWith("p=", StringComparison.Ordinal))
            expectedChannel = [.. expectedChannel, .. _channelBindingHash!];
        if (!CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(channel), expectedChannel))
            throw Fail("SCRAM channel binding check failed");

        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var clientSignature = ScramVerifier.HMAC(_verifier.StoredKey, authMessage);
        if (proof.Length != clientSignature.Length) throw new AuthenticationFailedException();
        var clientKey = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++) clientKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        var valid = CryptographicOperations.FixedTimeEquals(SHA256.HashData(clientKey), _verifier.StoredKey);
        if (!valid || !_userExists) throw new AuthenticationFailedException();

        var serverSignature = ScramVerifier.HMAC(_verifier.ServerKey, authMessage);
        return Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature));
    }

    private static string? Attribute(string message, char name)
    {
        foreach (var part in message.Split(','))
            if (part.Length >= 2 && part[0] == name && part[1] == '=') return part[2..];
        return null;
    }

    private const string ProtocolViolation = "08P01";

    private static AuthenticationProtocolException Fail(string message) => new(message);
}

/// <summary>The password or proof was wrong (28P01). The message never says whether the user exists.</summary>
public sealed class AuthenticationFailedException() : Exception("password authentication failed");

/// <summary>The client broke the SASL exchange: <see cref="SqlState"/> 28000 unless it is a protocol violation (08P01).</summary>
public sealed class AuthenticationProtocolException(string message, string sqlState = "28000", string? detail = null) : Exception(message)
{
    public string SqlState { get; } = sqlState;

    public string? Detail { get; } = detail;
}
