using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>SHOW AUDIT: domain admins see every record; everyone else sees their own.</summary>
internal static class AuditCommands
{
    public static AdminResult Show(AdminContext ctx, ShowAudit s)
    {
        var records = ctx.Read(r => r.Audit(s.Limit, Permissions.IsDomainAdmin(ctx) ? null : ctx.User));
        return new AdminResult(
            [new("id", AdminColumnType.BigInt), new("at"), new("user"), new("project"), new("kind"), new("command"), new("outcome"), new("sqlstate"), new("message"), new("statement")],
            records.Select(a => new object?[] { a.Id, Format.Time(a.At), a.User, a.Project, a.Kind, a.Command, a.Outcome, a.SqlState, a.Message, a.StatementText }).ToList(),
            $"SHOW AUDIT {records.Count}");
    }
}
