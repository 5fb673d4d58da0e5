using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Store;

internal abstract partial class CatalogSession
{
    public WorkspaceLineage? Lineage(string project, string table) => Query(
        "SELECT sources, updated_at FROM workspace_lineage WHERE project = $p AND table_name = $t",
        r => new WorkspaceLineage(project, table, FromJson<List<LineageSource>>(r.GetString(0)), ParseTime(r.GetString(1))),
        ("$p", project), ("$t", table)).FirstOrDefault();

    public void SetLineage(WorkspaceLineage lineage) => Execute(
        "INSERT INTO workspace_lineage (project, table_name, sources, updated_at) VALUES ($p, $t, $s, $u) "
        + "ON CONFLICT (project, table_name) DO UPDATE SET sources = excluded.sources, updated_at = excluded.updated_at",
        ("$p", lineage.Project), ("$t", lineage.Table), ("$s", Json(lineage.Sources)), ("$u", Time(lineage.UpdatedAt)));

    public void DeleteLineage(string project, string table) =>
        Execute("DELETE FROM workspace_lineage WHERE project = $p AND table_name = $t", ("$p", project), ("$t", table));
}
