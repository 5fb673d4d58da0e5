using System.Globalization;
using System.Text;
using DataMesh.Gateway.Server.Engines;

namespace DataMesh.Gateway.Server.Observability;

/// <summary>
/// How the projects' engine instances were built: patched from the project's standby after a grant change (a few
/// statements), or with a pg_catalog emulation taken from a spare or built on the spot. An operator (and the scale
/// benchmark) sees from these whether grant changes and first sessions found their instance half built.
/// </summary>
internal static class EngineMetrics
{
    public static string Render(SessionEngines engines)
    {
        var text = new StringBuilder();
        void Metric(string name, string help, long value)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" counter\n");
            text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        var (fromSpare, onDemand, fromStandby) = engines.Builds;
        Metric("datamesh_engine_instances_from_standby_total", "Instances built by patching the project's standby after a grant change.", fromStandby);
        Metric("datamesh_engine_emulations_from_spare_total", "pg_catalog emulations taken from a spare built ahead.", fromSpare);
        Metric("datamesh_engine_emulations_on_demand_total", "pg_catalog emulations built while a build waited (no spare ready).", onDemand);
        return text.ToString();
    }
}
