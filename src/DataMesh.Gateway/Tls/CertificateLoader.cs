using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DataMesh.Gateway.Tls;

/// <summary>Loads the server certificate from PEM files, or makes a self-signed one in the data directory.</summary>
public static class CertificateLoader
{
    public static X509Certificate2 FromPem(string certPath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        // Re-import so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Returns the data directory's self-signed certificate, creating it on first use.</summary>
    public static X509Certificate2 SelfSigned(string dataDirectory)
    {
        var certPath = Path.Combine(dataDirectory, "server.crt");
        var keyPath = Path.Combine(dataDirectory, "server.key");
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            Directory.CreateDirectory(dataDirectory);
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost, O=DataMesh Gateway (self-signed)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            san.AddIpAddress(IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
            File.WriteAllText(certPath, cert.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return FromPem(certPath, keyPath);
    }
}
