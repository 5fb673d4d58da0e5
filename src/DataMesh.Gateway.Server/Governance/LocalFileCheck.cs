using DataMesh.Gateway.Admin.Storage;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// Before the engine opens a local asset's files (a prepare binds the source and reads the Parquet footers, an
/// execution reads the rows), their real paths are checked again, as PUBLISH checks them (<see cref="ProjectStorage.Verify"/>):
/// DuckDB's allow list compares path text and follows links, so a producer who swapped a checked directory or file for
/// a link after CREATE ASSET would otherwise make the project's queries (and its consumers') read wherever it points.
/// Fails closed with 42501. Assets on object stores are read from the gateway's own cache and are not checked here.
/// </summary>
internal static class LocalFileCheck
{
    public static void Verify(CatalogSnapshot snapshot, RewriteResult plan)
    {
        foreach (var grant in plan.Grants)
        {
            if (grant.Files is not null) continue;
            var project = snapshot.Project(grant.Project);
            var account = project is null ? null : snapshot.Account(project.Account);
            if (project is null || account is null)
                throw new PgErrorException(SqlState.InsufficientPrivilege, $"the storage of asset {grant.QualifiedName} is no longer known; its files are not read");
            if (account.ObjectStore is not null) continue;
            ProjectStorage.For(account, project, snapshot.Projects).Verify(grant.SourcePath, grant.QualifiedName);
        }
    }
}
