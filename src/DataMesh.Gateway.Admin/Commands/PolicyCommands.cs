using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// SHOW EFFECTIVE POLICY: what a consumer project's queries may read of one asset, for the asset's owners. One row
/// per schema column, then policy rows (column and type NULL) with the row filter and expiry in force, or the reason
/// there is no access. No access is an answer, not an error: the owner asked a question about their asset.
/// </summary>
internal static class PolicyCommands
{
    public static AdminResult ShowEffective(AdminContext ctx, ShowEffectivePolicy s)
    {
        // The snapshot is what the query path reads, so the answer is the policy queries get right now.
        var snapshot = ctx.Snapshot;
        if (snapshot.Project(s.ConsumerProject) is null) throw AdminErrors.Unknown("project", s.ConsumerProject);
        var asset = snapshot.Asset(s.Asset.Project, s.Asset.Asset);
        // An inventory asset the caller may not see does not exist for them, as in DESCRIBE ASSET.
        if (asset is null || !AssetCommands.Visible(ctx, asset)) throw AdminErrors.Unknown("asset", s.Asset.ToString());
        Permissions.RequireRole(ctx, asset.Project, MemberRole.Owner, $"see the effective policy on assets of project \"{asset.Project}\"");

        var policy = EffectivePolicy.For(snapshot, s.ConsumerProject, asset, ctx.Now, ctx.Read(r => r.LatestSubscription(s.ConsumerProject, asset.Id)));
        var source = policy.Grant is { } g ? $"subscription {g.Id}" : policy.OwnProject ? "own project" : null;
        var rows = policy.Columns
            .Select(c => new object?[] { c.Name, c.Type, Access(c), c.Visible ? source : null })
            .ToList();
        if (policy.HasAccess)
        {
            var filter = policy.Grant?.RowFilter;
            rows.Add([null, null, filter is null ? "no row filter" : $"row filter: {filter}", source]);
            rows.Add([null, null, policy.Grant?.ExpiresAt is { } expires ? $"expires: {Format.Time(expires)}" : "expires: never", source]);
        }
        else
        {
            rows.Add([null, null, "no access: " + NoAccessReason(policy, ctx.Now), null]);
        }
        return new AdminResult([new("column"), new("type"), new("access"), new("granted_by")], rows, $"SHOW EFFECTIVE POLICY {rows.Count}");
    }

    private static string Access(EffectiveColumn c) => c.Withheld ? "hidden: added after approval, not approved yet"
        : !c.Visible ? "hidden"
        : c.Mask is null ? "visible"
        : c.Mask.Kind == "partial" ? $"masked: partial({c.Mask.KeepFirst}, {c.Mask.KeepLast})"
        : $"masked: {c.Mask.Kind}";

    private static string NoAccessReason(EffectivePolicy p, DateTimeOffset now)
    {
        if (p.Latest is not { } latest)
            return p.Asset.Published ? "no subscription" : "the asset is not published";
        var id = latest.Id.ToString(CultureInfo.InvariantCulture);
        var status = latest.StatusAt(now);
        var state = status == SubscriptionStatus.Expired
            ? $"subscription {id} expired at {Format.Time(latest.ExpiresAt!.Value)}"
            : $"subscription {id} is {status.ToString().ToLowerInvariant()}";
        // An approved subscription to an unpublished asset is dormant: it counts again when the asset is republished.
        return p.Asset.Published ? state : $"the asset is not published ({state})";
    }
}
