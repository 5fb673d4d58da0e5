using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// Who a session is and which project its database names: the permission boundary of every query it runs.
/// <see cref="IsHome"/> is the domain's home database <c>postgres</c>, which holds no assets.
/// </summary>
public sealed record ProjectAccess(string User, string Project, MemberRole? Role, bool IsHome)
{
    /// <summary>The caller as row filters and the audit log see it (issuer and subject when it signed in with a token).</summary>
    public Policy.Identity.CallerIdentity Identity { get; init; } = Policy.Identity.CallerIdentity.Local(User);

    /// <summary>Owners and contributors may write to the project's workspace; viewers only read it.</summary>
    public bool CanWriteWorkspace => Role is MemberRole.Owner or MemberRole.Contributor;
}
