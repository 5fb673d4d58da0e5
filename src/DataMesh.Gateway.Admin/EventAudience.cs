using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Snapshots;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Who is told about an event: on <see cref="Subscriptions"/> (<c>LISTEN datamesh_subscriptions</c>) the members of the
/// consumer project, about everything that happens to their subscriptions; on <see cref="Requests"/>
/// (<c>LISTEN datamesh_requests</c>) the owners of the asset's project, about what asks them to act (requests filed or
/// withdrawn, changes asked for, grants about to expire). Decided from the catalog as it is when the event is delivered,
/// so a member removed since is not told. LISTEN, SHOW EVENTS, webhooks and the portal all ask this.
/// </summary>
public static class EventAudience
{
    public const string Subscriptions = "datamesh_subscriptions";
    public const string Requests = "datamesh_requests";

    public static readonly IReadOnlyList<string> Channels = [Subscriptions, Requests];

    /// <summary>The channel on which <paramref name="e"/> concerns the caller, or null when it does not.</summary>
    public static string? ChannelFor(CatalogSnapshot snapshot, AdminCaller caller, EventRecord e) =>
        Concerns(snapshot, caller, e, Subscriptions) ? Subscriptions
        : Concerns(snapshot, caller, e, Requests) ? Requests
        : null;

    public static bool Concerns(CatalogSnapshot snapshot, AdminCaller caller, EventRecord e, string channel) => channel switch
    {
        Subscriptions => e.ConsumerProject is { } consumer && snapshot.RoleIn(caller.User, consumer, caller.Groups) is not null,
        Requests => EventKinds.AsksOwner(e.Kind) && e.OwnerProject is { } owner && snapshot.RoleIn(caller.User, owner, caller.Groups) == MemberRole.Owner,
        _ => false,
    };

    /// <summary>Whether a project's webhook gets the event: it is the consumer, or the owner and the event asks it to act.</summary>
    public static bool ConcernsProject(string project, EventRecord e) =>
        e.ConsumerProject == project || (e.OwnerProject == project && EventKinds.AsksOwner(e.Kind));

    /// <summary>The notification payload: one JSON object (at most a few hundred bytes; PostgreSQL's limit is 8,000).</summary>
    public static string Payload(EventRecord e) => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = e.Id,
        ["event"] = e.Kind,
        ["subscription"] = e.SubscriptionId,
        ["asset"] = e.Asset,
        ["consumer_project"] = e.ConsumerProject,
        ["owner_project"] = e.OwnerProject,
        ["by"] = e.Actor,
        ["at"] = Commands.Format.Time(e.At),
        ["detail"] = e.Detail is { Length: > 1000 } d ? d[..1000] : e.Detail,
    });
}
