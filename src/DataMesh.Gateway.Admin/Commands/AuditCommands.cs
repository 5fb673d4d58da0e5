using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// SHOW AUDIT: domain admins see every record; everyone else sees their own. Query records carry what they read: the
/// assets, the subscriptions that allowed them, the policy version (a hash of the grants), rows and duration.
/// </summary>
internal static class AuditCommands
{
    public static AdminResult Show(AdminContext ctx, ShowAudit s)
    {
        var records = ctx.Read(r => r.Audit(s.Limit, Permissions.IsDomainAdmin(ctx) ? null : ctx.User));
        return new AdminResult(
            [new("id", AdminColumnType.BigInt), new("at"), new("user"), new("issuer"), new("subject"), new("project"), new("kind"), new("command"), new("outcome"), new("sqlstate"), new("message"), new("statement"),
             new("assets"), new("subscriptions"), new("policy_version"), new("rows", AdminColumnType.BigInt), new("duration_ms")],
            records.Select(a => new object?[]
            {
                a.Id, Format.Time(a.At), a.User, a.Issuer, a.Subject, a.Project, a.Kind, a.Command, a.Outcome, a.SqlState, a.Message, a.StatementText,
                a.Assets.Count > 0 ? string.Join(", ", a.Assets) : null,
                a.SubscriptionIds.Count > 0 ? string.Join(", ", a.SubscriptionIds) : null,
                a.PolicyVersion, a.RowCount,
                a.DurationMs is { } ms ? ms.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : null,
            }).ToList(),
            $"SHOW AUDIT {records.Count}");
    }
}
