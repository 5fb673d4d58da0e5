using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DataMesh.Gateway.Server.Startup;

/// <summary>tls-server-end-point channel binding data (RFC 5929): the server certificate's hash.</summary>
public static class ChannelBinding
{
    public static byte[] TlsServerEndPoint(X509Certificate2 certificate)
    {
        // The certificate's signature hash, with MD5 and SHA-1 upgraded to SHA-256.
        var oid = certificate.SignatureAlgorithm.Value;
        var raw = certificate.RawData;
        return oid switch
        {
            "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => SHA384.HashData(raw),
            "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => SHA512.HashData(raw),
            _ => SHA256.HashData(raw),
        };
    }
}
