namespace DataMesh.Gateway.Policy.Identity;

/// <summary>
/// Who runs a session's queries, as row filters may see it: the mapped user name, the issuer and subject of the
/// identity token (null for local users), the domain groups that token maps to, and its scalar claims.
/// </summary>
public sealed record CallerIdentity(
    string UserName,
    string? Issuer,
    string? Subject,
    IReadOnlyList<string> TokenGroups,
    IReadOnlyDictionary<string, string> Claims,
    DateTimeOffset? ExpiresAt)
{
    /// <summary>A local (SCRAM) user: no token, no claims, groups from the catalog only.</summary>
    public static CallerIdentity Local(string userName) => new(userName, null, null, [], new Dictionary<string, string>(), null);

    public bool FromToken => Issuer is not null;
}
