using DataMesh.Gateway.Catalog.Model;
using System.Data.Common;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>The event table (LISTEN, webhooks, the portal's notifications) and the webhooks' delivery cursors.</summary>
internal abstract partial class CatalogSession
{
    private const string EventColumns = "id, at, kind, subscription_id, asset, consumer_project, owner_project, actor, detail";

    private static EventRecord MapEvent(DbDataReader r) => new(r.GetInt64(0), ParseTime(r.GetString(1)), r.GetString(2),
        r.IsDBNull(3) ? null : r.GetInt64(3), NullableString(r, 4), NullableString(r, 5), NullableString(r, 6), r.GetString(7), NullableString(r, 8));

    public long AppendEvent(EventRecord e) => Scalar<long>(
        "INSERT INTO events (at, kind, subscription_id, asset, consumer_project, owner_project, actor, detail) " +
        "VALUES ($at, $k, $s, $a, $c, $o, $actor, $d) RETURNING id",
        ("$at", Time(e.At)), ("$k", e.Kind), ("$s", e.SubscriptionId), ("$a", e.Asset), ("$c", e.ConsumerProject), ("$o", e.OwnerProject),
        ("$actor", e.Actor), ("$d", e.Detail));

    public long LastEventId => Scalar<long>("SELECT coalesce(max(id), 0) FROM events");

    public IReadOnlyList<EventRecord> Events(EventQuery q)
    {
        var projects = q.Projects is null ? null : Json(q.Projects);
        var filter = "($projects IS NULL OR consumer_project IN (SELECT value FROM json_each($projects)) OR owner_project IN (SELECT value FROM json_each($projects)))";
        return q.AfterId is { } after
            ? Query($"SELECT {EventColumns} FROM events WHERE id > $after AND {filter} ORDER BY id LIMIT $l", MapEvent,
                ("$after", after), ("$projects", projects), ("$l", q.Limit))
            : Query($"SELECT {EventColumns} FROM events WHERE {filter} ORDER BY id DESC LIMIT $l", MapEvent, ("$projects", projects), ("$l", q.Limit));
    }

    /// <summary>True when an event of this kind with exactly this detail was already recorded for the subscription.</summary>
    public bool HasEvent(long subscriptionId, string kind, string? detail) =>
        Scalar<long>("SELECT count(*) FROM events WHERE subscription_id = $s AND kind = $k AND (detail = $d OR (detail IS NULL AND $d IS NULL))", ("$s", subscriptionId), ("$k", kind), ("$d", detail)) > 0;

    public IReadOnlyDictionary<string, long> WebhookCursors() =>
        Query("SELECT project, last_event FROM webhook_cursors", r => (r.GetString(0), r.GetInt64(1))).ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);

    public void SetWebhookCursor(string project, long lastEvent) =>
        Execute("UPDATE webhook_cursors SET last_event = $e WHERE project = $p AND last_event < $e", ("$p", project), ("$e", lastEvent));
}
