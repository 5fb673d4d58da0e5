using System.Globalization;
using System.Text;
using DataMesh.Gateway.Catalog.Following;

namespace DataMesh.Gateway.Server.Observability;

/// <summary>
/// What <c>/health</c> answers: healthy (200) while the server accepts sessions and its catalog answers; the first line
/// says "ready", "starting up", "shutting down" or "catalog unreachable", and a second line how the node follows the
/// catalog (by LISTEN, or polling, and why), so a probe and an operator read the same page.
/// </summary>
public static class HealthReport
{
    public static (bool Healthy, string Text) Of(GatewayServer server)
    {
        if (!server.IsReady) return (false, server.IsStarting ? "starting up\n" : "shutting down\n");
        var follower = server.CatalogFollower;
        if (follower is null) return (true, "ready\n");
        var text = new StringBuilder();
        var reachable = follower.Reachable;
        var since = follower.SinceContact.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        text.Append(reachable ? "ready\n" : "catalog unreachable\n");
        text.Append("catalog: ");
        if (!reachable)
            text.Append("unreachable, last answered ").Append(since).Append(" s ago (").Append(follower.LastError).Append("); new sessions are refused with 57P03, ")
                .Append("open sessions end once that passes ").Append(server.CatalogMaxStaleness.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)).Append(" s\n");
        else if (follower.Mode == FollowMode.Listening)
            text.Append("reachable, following its changes by ").Append(follower.Channel).Append('\n');
        else if (follower.Listens)
            text.Append("reachable, polling: the change channel dropped (").Append(follower.LastError).Append("); listening again when it can\n");
        else if (follower.Shared)
            text.Append("reachable, polling (CatalogListen is off)\n");
        else
            text.Append("reachable, polling (embedded catalog)\n");
        return (reachable, text.ToString());
    }
}
