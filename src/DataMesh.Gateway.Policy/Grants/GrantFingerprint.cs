using System.Security.Cryptography;
using System.Text;

namespace DataMesh.Gateway.Policy.Grants;

/// <summary>A stable hash of a project's grants: equal grants, equal fingerprint, whatever the catalog version.</summary>
internal static class GrantFingerprint
{
    public static string Of(string project, IEnumerable<AssetGrant> grants)
    {
        var text = new StringBuilder(project).Append('\n');
        foreach (var g in grants.OrderBy(g => g.Project, StringComparer.Ordinal).ThenBy(g => g.Asset, StringComparer.Ordinal))
        {
            text.Append(g.Project).Append('\u001f').Append(g.Asset).Append('\u001f').Append(g.SourcePath).Append('\u001f')
                .Append(g.QualifiedRowFilter).Append('\u001f').Append(g.OwnProject).Append('\u001f')
                .AppendJoin(',', g.SubscriptionIds).Append('\u001f').Append(g.Unavailable).Append('\u001f')
                .AppendJoin(',', g.Files ?? []).Append('\u001f');
            foreach (var c in g.Columns)
                text.Append(c.Name).Append(':').Append(c.Type).Append(':').Append(c.Mask).Append(':').Append(c.KeepFirst).Append(':').Append(c.KeepLast).Append(';');
            text.Append('\n');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 12).ToLowerInvariant();
    }
}
