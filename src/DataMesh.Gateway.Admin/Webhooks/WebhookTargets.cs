using System.Net;
using System.Net.Sockets;

namespace DataMesh.Gateway.Admin.Webhooks;

/// <summary>
/// Which addresses a project owner may make the gateway POST to. A webhook is a request the gateway sends on an owner's
/// word from inside the operator's network, so it must not become a way to reach what only the gateway can reach
/// (server-side request forgery): the cloud metadata service (169.254.169.254), the gateway's own ports and admin
/// endpoints on loopback, internal services on private networks.
/// <list type="bullet">
/// <item>Never: link-local (169.254/16, fe80::/10: metadata services), unspecified, broadcast, multicast and reserved
/// ranges, and addresses that embed an IPv4 address (NAT64, 6to4, IPv4-compatible), whatever the settings.</item>
/// <item>Only when the operator allows private targets (<c>Webhooks:AllowPrivateTargets</c>): loopback (127/8, ::1),
/// private (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10), shared address space (100.64/10), and the benchmark and
/// documentation ranges.</item>
/// <item>Everything else (public unicast) is allowed.</item>
/// </list>
/// A name is checked after resolution, every address it resolves to (one refused address refuses the name), and the
/// connection goes to exactly those checked addresses, so a second lookup (DNS rebinding) cannot swap them.
/// </summary>
public static class WebhookTargets
{
    public enum Verdict { Allowed, Private, Never }

    public static Verdict Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return address.AddressFamily == AddressFamily.InterNetwork ? ClassifyV4(address.GetAddressBytes()) : ClassifyV6(address);
    }

    public static bool IsAllowed(IPAddress address, bool allowPrivate) => Classify(address) switch
    {
        Verdict.Allowed => true,
        Verdict.Private => allowPrivate,
        _ => false,
    };

    private static Verdict ClassifyV4(byte[] b) => (b[0], b[1], b[2]) switch
    {
        (0, _, _) => Verdict.Never,                                   // "this network", 0.0.0.0
        (169, 254, _) => Verdict.Never,                               // link-local: metadata services
        ( >= 224, _, _) => Verdict.Never,                             // multicast, reserved, broadcast
        (127, _, _) => Verdict.Private,
        (10, _, _) => Verdict.Private,
        (172, >= 16 and <= 31, _) => Verdict.Private,
        (192, 168, _) => Verdict.Private,
        (100, >= 64 and <= 127, _) => Verdict.Private,                // carrier-grade NAT
        (192, 0, 0) or (192, 0, 2) or (198, 51, 100) or (203, 0, 113) => Verdict.Private,
        (198, 18 or 19, _) => Verdict.Private,                        // benchmarking
        _ => Verdict.Allowed,
    };

    private static Verdict ClassifyV6(IPAddress a)
    {
        if (a.Equals(IPAddress.IPv6None) || a.Equals(IPAddress.IPv6Any)) return Verdict.Never;
        if (a.Equals(IPAddress.IPv6Loopback)) return Verdict.Private;
        var b = a.GetAddressBytes();
        if (a.IsIPv6LinkLocal || a.IsIPv6Multicast) return Verdict.Never;
        // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16), Teredo (2001::/32): an IPv4 address hides inside.
        if (b.Take(12).All(x => x == 0)) return Verdict.Never;
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return Verdict.Never;
        if (b[0] == 0x20 && b[1] == 0x02) return Verdict.Never;
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return Verdict.Never;
        if ((b[0] & 0xfe) == 0xfc || a.IsIPv6SiteLocal) return Verdict.Private;   // unique local, site-local
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return Verdict.Private;   // documentation
        return Verdict.Allowed;
    }

    /// <summary>Why <paramref name="address"/> is refused, for the audit and the error (null when allowed).</summary>
    public static string? Refusal(IPAddress address, bool allowPrivate) => Classify(address) switch
    {
        Verdict.Never => $"{address} is link-local, multicast, reserved or embeds an IPv4 address: never a webhook target",
        Verdict.Private when !allowPrivate => $"{address} is a loopback or private address: not a webhook target unless the operator allows private targets",
        _ => null,
    };
}
