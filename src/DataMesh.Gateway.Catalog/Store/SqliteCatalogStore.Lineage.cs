using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>Workspace lineage: read like the catalog, written like the audit log (no new catalog version).</summary>
public sealed partial class SqliteCatalogStore
{
    public WorkspaceLineage? Lineage(string project, string table) =>
        Read(r => ((SqliteCatalogSession)r).Lineage(project, table));

    public void RecordLineage(string project, string table, IReadOnlyList<LineageSource> sources, bool replace, DateTimeOffset at) =>
        WriteUnversioned(s =>
        {
            IReadOnlyList<LineageSource> known = replace ? [] : s.Lineage(project, table)?.Sources ?? [];
            s.SetLineage(new WorkspaceLineage(project, table, known.Concat(sources).Distinct().ToList(), at));
        });

    public void ForgetLineage(string project, string table) => WriteUnversioned(s => s.DeleteLineage(project, table));

    private void WriteUnversioned(Action<SqliteCatalogSession> work)
    {
        lock (_writeGate)
        {
            _retry.Run(() =>
            {
                using var connection = OpenConnection();
                using var transaction = connection.BeginTransaction(deferred: false);
                work(new SqliteCatalogSession(connection, transaction));
                transaction.Commit();
                return 0;
            });
        }
    }
}
