using System.Globalization;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Sessions;

/// <summary>
/// What a node does while its shared catalog does not answer (<see cref="Catalog.Following.CatalogFollower.Reachable"/>):
/// it refuses new sessions with 57P03 at once (a load balancer's next try lands on a node that can see the catalog), and
/// governs the sessions already open from its last snapshot, which can only miss changes made since the catalog last
/// answered, for at most <see cref="GatewayServerOptions.CatalogMaxStaleness"/>; past that, a session's next statement
/// ends it with FATAL 57P03. An embedded SQLite catalog is never "unreachable" here (its faults are the store's).
/// </summary>
internal static class CatalogStaleness
{
    /// <summary>Before authentication: throws FATAL 57P03 when the shared catalog does not answer.</summary>
    public static void RequireReachable(CatalogService catalog)
    {
        if (catalog.Follower is not { Shared: true, Reachable: false } follower) return;
        throw PgErrorException.Fatal("57P03",
            $"the gateway cannot reach its catalog (last answer {Seconds(follower.SinceContact)} s ago); it accepts no new sessions until the catalog answers");
    }

    /// <summary>Before a statement of an open session: throws FATAL 57P03 once the snapshot may be older than allowed.</summary>
    public static void RequireFresh(CatalogService catalog, TimeSpan maxStaleness)
    {
        if (catalog.Follower is not { Shared: true, Reachable: false } follower) return;
        var since = follower.SinceContact;
        if (since <= maxStaleness) return;
        throw new PgErrorException("57P03",
            $"terminating connection because the gateway's catalog has not answered for {Seconds(since)} s",
            PgErrorSeverity.Fatal,
            detail: $"Open sessions are governed from the last catalog snapshot for at most {Seconds(maxStaleness)} s (CatalogMaxStalenessSeconds).",
            hint: "Reconnect: another node of the fleet, or this one once its catalog answers again.");
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
