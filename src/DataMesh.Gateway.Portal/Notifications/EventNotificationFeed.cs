using System.Globalization;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Portal.Security;

namespace DataMesh.Gateway.Portal.Notifications;

/// <summary>
/// Notifications from the catalog's event table (the same events LISTEN and webhooks deliver): a user is concerned by
/// an event of a subscription when they are a member of its consumer project or an owner of the asset's project, decided
/// with the catalog as it is now. Whether a grant expires within the week, or has expired, is read from the grant as it
/// is now rather than from the expiry watch's events, so the page is right between two scans of the watch.
/// </summary>
public sealed class EventNotificationFeed(CatalogService catalog) : INotificationFeed
{
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(7);

    /// <summary>Events read per page view, before the ones that do not concern the user are left out.</summary>
    private const int ReadLimit = 2000;

    public IReadOnlyList<Notification> For(PortalUser user, DateTimeOffset now, int limit)
    {
        var snapshot = catalog.Snapshot;
        var groups = user.Identity.TokenGroups;
        var member = snapshot.ProjectsOf(user.Name, groups).ToHashSet(StringComparer.Ordinal);
        if (member.Count == 0) return [];
        bool Concerns(string? consumer, string? owner) =>
            (consumer is not null && member.Contains(consumer)) || (owner is not null && snapshot.RoleIn(user.Name, owner, groups) == MemberRole.Owner);

        var items = new List<(Notification Item, long Order)>();
        foreach (var e in catalog.Store.Read(r => r.Events(new EventQuery(ReadLimit) { Projects = member })))
        {
            if (e.SubscriptionId is not { } id || e.Kind == EventKinds.Expiring || !Concerns(e.ConsumerProject, e.OwnerProject)) continue;
            if (Describe(e) is { } item) items.Add((item, e.Id));
        }
        // Snapshots hold approved grants only: the subscriptions come from the store by key, as a consumer and to the
        // assets of the projects the user owns.
        var subscriptions = catalog.Store.Read(r =>
        {
            var found = new Dictionary<long, SubscriptionRecord>();
            foreach (var project in member)
            {
                foreach (var s in r.SubscriptionsOf(project)) found[s.Id] = s;
                if (snapshot.RoleIn(user.Name, project, groups) != MemberRole.Owner) continue;
                foreach (var asset in r.AssetsOf(project))
                    foreach (var s in r.SubscriptionsTo(asset.Id)) found[s.Id] = s;
            }
            return found.Values;
        });
        foreach (var s in subscriptions)
        {
            var asset = $"{s.AssetProject}.{s.AssetName}";
            var status = s.StatusAt(now);
            if (status == SubscriptionStatus.Approved && s.ExpiresAt is { } expires && expires - now <= ExpiryWarning)
                items.Add((new Notification(now, NotificationKind.Expiring, s.Id, asset, s.ConsumerProject,
                    $"the grant of {asset} to project {s.ConsumerProject} expires at {expires.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC", null), long.MaxValue));
            if (status == SubscriptionStatus.Expired && s.ExpiresAt is { } expired)
                items.Add((new Notification(expired, NotificationKind.Expired, s.Id, asset, s.ConsumerProject,
                    $"the grant of {asset} to project {s.ConsumerProject} expired", null), long.MaxValue));
        }
        return items.OrderByDescending(x => x.Item.Kind == NotificationKind.Expiring).ThenByDescending(x => x.Item.At).ThenByDescending(x => x.Order)
            .Select(x => x.Item).Take(limit).ToList();
    }

    private static Notification? Describe(EventRecord e)
    {
        var (asset, consumer, id) = (e.Asset ?? "", e.ConsumerProject ?? "", e.SubscriptionId!.Value);
        (NotificationKind Kind, string Text)? described = e.Kind switch
        {
            EventKinds.Requested => (NotificationKind.Filed, $"{e.Actor} requested {asset} for project {consumer}"),
            EventKinds.Approved => (NotificationKind.Approved, $"{e.Actor} approved the request of project {consumer} for {asset}"),
            EventKinds.Rejected => (NotificationKind.Rejected, $"{e.Actor} rejected the request of project {consumer} for {asset}"),
            EventKinds.Revoked => (NotificationKind.Revoked, $"{e.Actor} revoked the grant of {asset} to project {consumer}"),
            EventKinds.Withdrawn => (NotificationKind.Withdrawn, $"{e.Actor} withdrew the request of project {consumer} for {asset}"),
            EventKinds.Changed => (NotificationKind.Changed, $"{e.Actor} changed the grant of {asset} to project {consumer}"),
            EventKinds.ChangeRequested => (NotificationKind.ChangeRequested, $"{e.Actor} asked to change the grant of {asset} to project {consumer}"),
            EventKinds.ChangeRejected => (NotificationKind.ChangeRejected, $"{e.Actor} turned down the change asked for the grant of {asset} to project {consumer}"),
            EventKinds.ChangeWithdrawn => (NotificationKind.ChangeWithdrawn, $"{e.Actor} withdrew the change asked for the grant of {asset} to project {consumer}"),
            EventKinds.Renamed => (NotificationKind.Renamed, $"{e.Actor} renamed what the grant of {asset} to project {consumer} refers to"),
            _ => null,
        };
        if (described is not { } d) return null;
        // An approval's summary (filter, columns) is shown on the asset page; the other kinds' detail is their comment or reason.
        return new Notification(e.At, d.Kind, id, asset, consumer, d.Text, e.Kind == EventKinds.Approved ? null : e.Detail);
    }
}
