using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Engine;

namespace DataMesh.Gateway.Admin;

/// <summary>Opens the data directory's catalog with everything admin commands need, and bootstraps users.</summary>
public sealed class AdminCatalog : IDisposable
{
    private AdminCatalog(CatalogService catalog, MetadataEngine metadata, string dataDirectory)
    {
        Catalog = catalog;
        Metadata = metadata;
        Executor = new AdminExecutor(new AdminServices(catalog, metadata, dataDirectory));
        Users = new CatalogUserStore(catalog);
    }

    public CatalogService Catalog { get; }
    public MetadataEngine Metadata { get; }
    public AdminExecutor Executor { get; }
    public IUserStore Users { get; }

    public static string CatalogPath(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "catalog.db");

    /// <param name="load">False: the caller loads the snapshot later (<see cref="CatalogService.Load"/>), after opening its port.</param>
    public static AdminCatalog Open(string dataDirectory, bool load = true)
    {
        var store = SqliteCatalogStore.Open(CatalogPath(dataDirectory));
        return new AdminCatalog(new CatalogService(store, load), new MetadataEngine(), dataDirectory);
    }

    /// <summary>
    /// The bootstrap path for the first domain admin (there is nobody to run CREATE USER yet): adds or updates a
    /// local user directly, optionally as domain admin. Used by <c>datamesh user add</c> and the demo seed.
    /// </summary>
    public void SetUser(string name, string password, bool domainAdmin)
    {
        Catalog.Change(w =>
        {
            var verifier = ScramVerifier.Create(password).ToString();
            if (w.GetUser(name) is null) w.InsertUser(new UserRecord(name, verifier, domainAdmin, "local", DateTimeOffset.UtcNow));
            else w.SetUserVerifier(name, verifier);
            if (domainAdmin) w.SetDomainAdmin(name, true);
            w.AppendAudit(new AuditRecord(0, DateTimeOffset.UtcNow, "datamesh", null, null, null, "admin", "BOOTSTRAP USER",
                $"datamesh user add {name}{(domainAdmin ? " --domain-admin" : "")}", "ok", null, null, [], [], null, null, null));
            return 0;
        });
    }

    public void Dispose()
    {
        Metadata.Dispose();
        Catalog.Dispose();
    }
}
