using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// The lineage of workspace tables. Kept beside the catalog, not in its snapshots: it changes with every workspace
/// write, which must not start a new catalog version (every session would recompute its grants). Each call is one
/// transaction of its own. Table names are compared case-insensitively, as DuckDB compares them.
/// </summary>
public interface IWorkspaceLineageStore
{
    /// <summary>The table's lineage, or null when the gateway never recorded one (no such table, or one written
    /// before lineage was recorded).</summary>
    WorkspaceLineage? Lineage(string project, string table);

    /// <summary>Adds <paramref name="sources"/> to the table's lineage (creating it), or with <paramref name="replace"/>
    /// makes them its whole lineage.</summary>
    void RecordLineage(string project, string table, IReadOnlyList<LineageSource> sources, bool replace, DateTimeOffset at);

    /// <summary>The table was dropped.</summary>
    void ForgetLineage(string project, string table);
}
