using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// SHOW AUDIT: domain admins see every record; everyone else sees their own, and every query that read an asset of a
/// project they are a member of (producers see every read of their assets: who read what, when, under which grant).
/// Query records carry what they read: the assets, the subscriptions that allowed them, the policy version (a hash of
/// the grants), rows and duration. Filters narrow the visible records by user, asset read, project (the database the
/// record was made in) and time.
/// </summary>
internal static class AuditCommands
{
    /// <summary>SHOW AUDIT's columns, in order; EXPORT AUDIT writes the same.</summary>
    public static readonly IReadOnlyList<AdminColumn> Columns =
    [
        new("id", AdminColumnType.BigInt), new("at"), new("user"), new("issuer"), new("subject"), new("project"), new("kind"), new("command"), new("outcome"),
        new("sqlstate"), new("message"), new("statement"), new("assets"), new("subscriptions"), new("policy_version"), new("rows", AdminColumnType.BigInt),
        new("duration_ms"),
    ];

    public static AdminResult Show(AdminContext ctx, ShowAudit s)
    {
        var query = QueryFor(ctx, s);
        var records = ctx.Read(r => r.Audit(query));
        return new AdminResult(Columns, records.Select(Row).ToList(), $"SHOW AUDIT {records.Count}");
    }

    /// <summary>The filters of SHOW AUDIT (and EXPORT AUDIT) under the caller's visibility rule.</summary>
    public static AuditQuery QueryFor(AdminContext ctx, ShowAudit s)
    {
        var query = new AuditQuery(s.Limit)
        {
            User = s.User,
            Asset = s.Asset?.ToString(),
            Project = s.Project,
            Since = Time(s.Since, "SINCE"),
            Until = Time(s.Until, "UNTIL"),
        };
        return Permissions.IsDomainAdmin(ctx) ? query : query with { Reader = ctx.User, ReaderProducedAssets = ProducedAssets(ctx) };
    }

    public static object?[] Row(AuditRecord a) =>
    [
        a.Id, Format.Time(a.At), a.User, a.Issuer, a.Subject, a.Project, a.Kind, a.Command, a.Outcome, a.SqlState, a.Message, a.StatementText,
        a.Assets.Count > 0 ? string.Join(", ", a.Assets) : null,
        a.SubscriptionIds.Count > 0 ? string.Join(", ", a.SubscriptionIds) : null,
        a.PolicyVersion, a.RowCount,
        a.DurationMs is { } ms ? ms.ToString("0.###", CultureInfo.InvariantCulture) : null,
    ];

    /// <summary>
    /// The assets of every project the caller is a member of (any role, directly, by group or by token group), under their
    /// current and former names: a read recorded before a rename is still a read of the producer's asset.
    /// </summary>
    private static List<string> ProducedAssets(AdminContext ctx)
    {
        var assets = ctx.Snapshot.Projects.Where(p => Permissions.RoleIn(ctx, p.Name) is not null).SelectMany(p => ctx.Snapshot.AssetsOf(p.Name)).ToList();
        return ctx.Read(r => assets.SelectMany(a => r.FormerAssetNames(a.Id).Select(n => n.Name).Prepend(a.QualifiedName)).Distinct().ToList());
    }

    internal static DateTimeOffset? Time(string? text, string clause)
    {
        if (text is null) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            throw AdminErrors.Invalid($"invalid {clause} time \"{text}\"", "use an ISO date or timestamp such as '2027-06-30' or '2027-06-30 14:00:00+00'");
        return t;
    }
}
