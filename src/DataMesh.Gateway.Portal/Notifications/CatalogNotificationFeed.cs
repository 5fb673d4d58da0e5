using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Portal.Security;

namespace DataMesh.Gateway.Portal.Notifications;

/// <summary>
/// Notifications derived from what the catalog already holds, until it keeps events of its own: subscription records
/// (filed at, expiry), and the audit log's successful APPROVE / REJECT / REVOKE SUBSCRIPTION records (when each
/// decision was made and by whom: a subscription record keeps only its latest decision). A user is concerned by a
/// subscription when they are a member of the consumer project or an owner of the asset's project.
/// </summary>
public sealed class CatalogNotificationFeed(CatalogService catalog) : INotificationFeed
{
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(7);

    private static readonly string[] Decisions = ["APPROVE SUBSCRIPTION", "REJECT SUBSCRIPTION", "REVOKE SUBSCRIPTION"];

    public IReadOnlyList<Notification> For(PortalUser user, DateTimeOffset now, int limit)
    {
        var snapshot = catalog.Snapshot;
        var groups = user.Identity.TokenGroups;
        // Snapshots hold approved grants only: the user's projects come from the snapshot's index, their subscriptions
        // (any status) from the store by key: as a consumer, and to the assets of the projects the user owns.
        var projects = snapshot.ProjectsOf(user.Name, groups);
        var mine = catalog.Store.Read(r =>
        {
            var found = new Dictionary<long, SubscriptionRecord>();
            foreach (var project in projects)
            {
                foreach (var s in r.SubscriptionsOf(project)) found[s.Id] = s;
                if (snapshot.RoleIn(user.Name, project, groups) != MemberRole.Owner) continue;
                foreach (var asset in r.AssetsOf(project))
                    foreach (var s in r.SubscriptionsTo(asset.Id)) found[s.Id] = s;
            }
            return found;
        });
        if (mine.Count == 0) return [];

        var events = new List<Notification>();
        foreach (var s in mine.Values)
        {
            var asset = $"{s.AssetProject}.{s.AssetName}";
            events.Add(new Notification(s.RequestedAt, NotificationKind.Filed, s.Id, asset, s.ConsumerProject,
                $"{s.RequestedBy} requested {asset} for project {s.ConsumerProject}", s.Justification));
            var status = s.StatusAt(now);
            if (status == SubscriptionStatus.Approved && s.ExpiresAt is { } expires && expires - now <= ExpiryWarning)
                events.Add(new Notification(now, NotificationKind.Expiring, s.Id, asset, s.ConsumerProject,
                    $"the grant of {asset} to project {s.ConsumerProject} expires at {expires:yyyy-MM-dd HH:mm} UTC", null));
            if (status == SubscriptionStatus.Expired && s.ExpiresAt is { } expired)
                events.Add(new Notification(expired, NotificationKind.Expired, s.Id, asset, s.ConsumerProject,
                    $"the grant of {asset} to project {s.ConsumerProject} expired", null));
        }

        var decisions = catalog.Store.Read(r => r.Audit(new AuditQuery(5000) { SucceededCommands = Decisions }));
        foreach (var record in decisions)
        {
            foreach (var id in record.SubscriptionIds)
            {
                if (!mine.TryGetValue(id, out var s)) continue;
                var asset = $"{s.AssetProject}.{s.AssetName}";
                var (kind, verb) = record.Command switch
                {
                    "APPROVE SUBSCRIPTION" => (NotificationKind.Approved, "approved"),
                    "REJECT SUBSCRIPTION" => (NotificationKind.Rejected, "rejected"),
                    _ => (NotificationKind.Revoked, "revoked"),
                };
                events.Add(new Notification(record.At, kind, id, asset, s.ConsumerProject,
                    $"{record.User} {verb} the request of project {s.ConsumerProject} for {asset}", kind == NotificationKind.Approved ? null : s.Comment));
            }
        }
        return events.OrderByDescending(e => e.Kind == NotificationKind.Expiring).ThenByDescending(e => e.At).ThenByDescending(e => e.SubscriptionId)
            .Take(limit).ToList();
    }
}
