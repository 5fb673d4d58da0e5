using System.Globalization;
using System.Text;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Following;

namespace DataMesh.Gateway.Server.Observability;

/// <summary>
/// How the catalog snapshot is kept: how often it was read whole (start-up, and a follower that fell behind the change
/// log) against patched from the log, how many project partitions were read, and the log position applied. An operator
/// (and the scale benchmark) sees from these that unknown sign-ins and admin changes never reload the catalog. With a
/// follower: whether it listens or polls, how often the change channel dropped, and whether the catalog answers.
/// </summary>
internal static class CatalogMetrics
{
    public static string Render(CatalogService catalog)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, long value)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        Metric("datamesh_catalog_full_loads_total", "counter", "Times the catalog snapshot was read whole from the store.", catalog.FullLoads);
        Metric("datamesh_catalog_patches_total", "counter", "Times the catalog snapshot was patched from change log entries.", catalog.Patches);
        Metric("datamesh_catalog_partitions_loaded_total", "counter", "Project partitions (assets and approved grants) read from the store.", catalog.PartitionsLoaded);
        Metric("datamesh_catalog_position", "gauge", "The change log position the snapshot has applied.", catalog.Position);
        if (catalog.Follower is { } follower)
        {
            Metric("datamesh_catalog_listening", "gauge",
                "1 while the node follows the catalog's change announcements (LISTEN), 0 while it polls the catalog version.", follower.Mode == FollowMode.Listening ? 1 : 0);
            Metric("datamesh_catalog_listen_fallbacks_total", "counter", "Times the change channel dropped and the node fell back to polling.", follower.Fallbacks);
            Metric("datamesh_catalog_announcements_total", "counter", "Change announcements received on the change channel.", follower.Announcements);
            Metric("datamesh_catalog_reachable", "gauge", "1 while the catalog answers, 0 from a failed read or heartbeat until the next answer.", follower.Reachable ? 1 : 0);
            Metric("datamesh_catalog_seconds_since_contact", "gauge", "Seconds since the catalog last answered (the snapshot's possible staleness).",
                (long)follower.SinceContact.TotalSeconds);
        }
        return text.ToString();
    }
}
