using System.Globalization;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Sql.Admin;

namespace DataMesh.Gateway.Admin.Commands;

/// <summary>
/// For producers: SHOW USAGE OF ASSET (who read it, from which project, how often, how many rows, first and last read,
/// under its current and former names) for the owners of its project; and SHOW EVENTS, the events that concern the caller.
/// </summary>
internal static class UsageCommands
{
    public static AdminResult ShowUsage(AdminContext ctx, ShowUsage s)
    {
        var asset = ctx.Read(r => r.GetAsset(s.Asset.Project, s.Asset.Asset));
        if (asset is null || !AssetVisibility.CanSee(ctx, asset)) throw AdminErrors.Unknown("asset", s.Asset.ToString());
        Permissions.RequireRole(ctx, asset.Project, MemberRole.Owner, $"see the usage of assets of project \"{asset.Project}\"");
        var since = AuditCommands.Time(s.Since, "SINCE");
        var usage = ctx.Read(r => r.Usage([asset.QualifiedName, .. r.FormerAssetNames(asset.Id).Select(n => n.Name)], since));
        return new AdminResult(
            [new("user"), new("project"), new("reads", AdminColumnType.BigInt), new("rows", AdminColumnType.BigInt), new("errors", AdminColumnType.BigInt),
             new("first_read"), new("last_read")],
            usage.Select(u => new object?[] { u.User, u.Project, u.Reads, u.Rows, u.Errors, Format.Time(u.FirstRead), Format.Time(u.LastRead) }).ToList(),
            $"SHOW USAGE {usage.Count}");
    }

    public static AdminResult ShowEvents(AdminContext ctx, ShowEvents s)
    {
        var snapshot = ctx.Snapshot;
        var mine = snapshot.Projects.Where(p => Permissions.RoleIn(ctx, p.Name) is not null).Select(p => p.Name).ToList();
        // Read more than asked: events of the caller's projects the caller is not told about (an owner-side event for a
        // viewer) are left out after reading.
        var events = ctx.Read(r => r.Events(new EventQuery(s.Limit * 4) { Projects = mine }))
            .Select(e => (Event: e, Channel: EventAudience.ChannelFor(snapshot, ctx.Caller, e)))
            .Where(x => x.Channel is not null).Take(s.Limit).ToList();
        return new AdminResult(
            [new("id", AdminColumnType.BigInt), new("at"), new("event"), new("subscription", AdminColumnType.BigInt), new("asset"), new("consumer_project"),
             new("by"), new("detail"), new("channel")],
            events.Select(x => new object?[]
            {
                x.Event.Id, Format.Time(x.Event.At), x.Event.Kind, x.Event.SubscriptionId, x.Event.Asset, x.Event.ConsumerProject, x.Event.Actor, x.Event.Detail, x.Channel,
            }).ToList(),
            $"SHOW EVENTS {events.Count.ToString(CultureInfo.InvariantCulture)}");
    }
}
