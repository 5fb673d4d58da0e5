namespace DataMesh.Gateway.Admin;

/// <summary>
/// Who runs an admin command: the user, and for a session that signed in with an identity token its issuer and
/// subject (recorded next to the user in the audit log) and the domain groups the token maps to (they count for
/// project roles like catalog memberships do).
/// </summary>
public sealed record AdminCaller(string User, string? Issuer = null, string? Subject = null, IReadOnlyList<string>? TokenGroups = null)
{
    public IReadOnlyList<string> Groups => TokenGroups ?? [];
}
