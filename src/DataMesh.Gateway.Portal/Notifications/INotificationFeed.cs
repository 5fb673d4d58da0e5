using DataMesh.Gateway.Portal.Security;

namespace DataMesh.Gateway.Portal.Notifications;

public enum NotificationKind { Filed, Approved, Rejected, Revoked, Expiring, Expired, Withdrawn, Changed, ChangeRequested, ChangeRejected, ChangeWithdrawn, Renamed }

/// <summary>One event of a subscription the user is concerned by, newest first in a feed.</summary>
public sealed record Notification(DateTimeOffset At, NotificationKind Kind, long SubscriptionId, string Asset, string ConsumerProject,
    string Text, string? Detail);

/// <summary>
/// The caller's events: requests filed to assets they own or by projects they belong to, decisions on those requests,
/// changes of the grants, and grants expiring within the week (<see cref="EventNotificationFeed"/>: the catalog's events).
/// </summary>
public interface INotificationFeed
{
    IReadOnlyList<Notification> For(PortalUser user, DateTimeOffset now, int limit);
}
