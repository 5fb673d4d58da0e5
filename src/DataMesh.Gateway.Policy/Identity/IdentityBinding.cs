using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Sql;

namespace DataMesh.Gateway.Policy.Identity;

/// <summary>
/// Replaces the identity-function calls of a grant's row filter with constants for one caller: the user name and claim
/// values as quoted string literals, group membership as <c>true</c>/<c>false</c>. The bound filter is plain SQL with
/// no function the engine could evaluate differently, so it stays leak-proof, and its text (hence the policy version
/// that keys cached rewrites) differs whenever the bound values differ. A claim the caller's identity does not carry
/// fails closed: the grant becomes unavailable (queries reading it are refused with a message naming the claim), never
/// "match all".
/// </summary>
public static class IdentityBinding
{
    public static AssetGrant Bind(AssetGrant grant, CallerIdentity caller, IReadOnlySet<string> groups)
    {
        if (grant.IdentityCalls.Count == 0 || grant.QualifiedRowFilter is not { } filter) return grant;
        string? unavailable = null;
        var bound = IdentityCalls.Replace(filter, grant.IdentityCalls, call =>
        {
            switch (call.Function)
            {
                case IdentityCalls.UserName:
                    return PolicySubquery.Literal(caller.UserName);
                case IdentityCalls.InGroup:
                    return groups.Contains(call.Argument!) ? "true" : "false";
                default:
                    if (caller.Claims.TryGetValue(call.Argument!, out var value) && !value.Contains('\0')) return PolicySubquery.Literal(value);
                    unavailable ??= $"the row filter of {grant.QualifiedName} needs the claim \"{call.Argument}\", which this session's identity does not carry";
                    return "NULL";
            }
        });
        return unavailable is null
            ? grant with { QualifiedRowFilter = bound, IdentityCalls = [] }
            : grant with { QualifiedRowFilter = "false", IdentityCalls = [], Unavailable = unavailable };
    }
}
