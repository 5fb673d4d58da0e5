using DataMesh.Gateway.Portal.Notifications;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>/notifications: the user's subscription events (see <see cref="INotificationFeed"/>).</summary>
public sealed class NotificationsModel(INotificationFeed feed, PortalServices services) : PortalPage
{
    public IReadOnlyList<Notification> Items { get; private set; } = [];

    public void OnGet() => Items = feed.For(Me, services.Clock.GetUtcNow(), 200);
}
