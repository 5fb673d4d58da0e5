using System.Security.Cryptography;
using System.Text;
using DataMesh.Gateway.Policy.Grants;

namespace DataMesh.Gateway.Server.Lineage;

/// <summary>
/// A hash of everything a grant lets through (its source, row filter as bound to the caller, visible columns and their
/// masks, and the subscriptions behind it): equal hashes, equal grants. Lineage keeps it per subscription, so a grant
/// that was narrowed, widened or otherwise changed after a workspace table was derived from it is noticed.
/// </summary>
internal static class GrantHash
{
    public static string Of(AssetGrant grant)
    {
        var text = new StringBuilder(grant.QualifiedName).Append('\u001f').Append(grant.SourcePath).Append('\u001f')
            .Append(grant.QualifiedRowFilter).Append('\u001f').AppendJoin(',', grant.SubscriptionIds).Append('\u001f');
        foreach (var c in grant.Columns)
            text.Append(c.Name).Append(':').Append(c.Type).Append(':').Append(c.Mask).Append(':').Append(c.KeepFirst).Append(':').Append(c.KeepLast).Append(';');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 16).ToLowerInvariant();
    }
}
