using System.Globalization;
using System.Text;
using DataMesh.Gateway.Catalog;

namespace DataMesh.Gateway.Server.Observability;

/// <summary>
/// How the catalog snapshot is kept: how often it was read whole (start-up, and a follower that fell behind the change
/// log) against patched from the log, how many project partitions were read, and the log position applied. An operator
/// (and the scale benchmark) sees from these that unknown sign-ins and admin changes never reload the catalog.
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
        return text.ToString();
    }
}
