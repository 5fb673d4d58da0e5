using System.Text;
using System.Text.Json;

namespace DataMesh.Gateway.Authentication.Tokens;

/// <summary>
/// The SASL OAUTHBEARER messages (RFC 7628) as PostgreSQL 18 frames them. The client's initial response is a GS2
/// header without channel binding or authorisation identity, then key=value pairs separated by 0x01 and ended by
/// 0x01 0x01: <c>n,,\x01auth=Bearer TOKEN\x01\x01</c>. A failure is a server challenge carrying a JSON error, which
/// the client acknowledges with a lone 0x01 before the server sends its ErrorResponse.
/// </summary>
public static class OAuthBearerMessages
{
    public const string Mechanism = "OAUTHBEARER";
    private const char Separator = '\u0001';

    /// <summary>The bearer token of a client's initial response; null when the client sent no token (discovery).</summary>
    public static string? ParseInitialResponse(ReadOnlySpan<byte> data)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw new AuthenticationProtocolException("malformed OAUTHBEARER message: not UTF-8");
        }
        // gs2-header: "n,," or "y,," (the client could bind but we do not offer it); "p=…" asks for binding OAUTHBEARER lacks.
        if (text.StartsWith("p=", StringComparison.Ordinal))
            throw new AuthenticationProtocolException("OAUTHBEARER does not support channel binding");
        if (!text.StartsWith("n,", StringComparison.Ordinal) && !text.StartsWith("y,", StringComparison.Ordinal))
            throw new AuthenticationProtocolException("malformed OAUTHBEARER message: bad GS2 header");
        var headerEnd = text.IndexOf(',', 2);
        if (headerEnd < 0) throw new AuthenticationProtocolException("malformed OAUTHBEARER message: bad GS2 header");
        if (headerEnd != 2) throw new AuthenticationProtocolException("OAUTHBEARER authorization identities (a=) are not supported");
        var rest = text[(headerEnd + 1)..];
        if (rest.Length < 2 || rest[0] != Separator || !rest.EndsWith("\u0001\u0001", StringComparison.Ordinal))
            throw new AuthenticationProtocolException("malformed OAUTHBEARER message: bad key/value framing");
        string? auth = null;
        foreach (var pair in rest[1..^2].Split(Separator))
        {
            if (pair.Length == 0) continue;
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new AuthenticationProtocolException("malformed OAUTHBEARER message: bad key/value pair");
            if (pair[..eq] == "auth")
            {
                if (auth is not null) throw new AuthenticationProtocolException("malformed OAUTHBEARER message: auth given twice");
                auth = pair[(eq + 1)..];
            }
        }
        if (string.IsNullOrEmpty(auth)) return null;
        const string scheme = "Bearer ";
        if (!auth.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            throw new AuthenticationProtocolException("malformed OAUTHBEARER message: the auth value must be \"Bearer <token>\"");
        var token = auth[scheme.Length..].Trim(' ');
        return token.Length == 0 ? null : token;
    }

    /// <summary>The server's failure challenge: RFC 7628's JSON error, with where to discover the issuer when known.</summary>
    public static byte[] ErrorChallenge(string? issuer)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("status", "invalid_token");
            if (issuer is not null) json.WriteString("openid-configuration", issuer.TrimEnd('/') + "/.well-known/openid-configuration");
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>After a failure challenge the client must answer with exactly 0x01 (RFC 7628 §3.2.3).</summary>
    public static bool IsErrorAcknowledgement(ReadOnlySpan<byte> data) => data.Length == 1 && data[0] == 0x01;
}
