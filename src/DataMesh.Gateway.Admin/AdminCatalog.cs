using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Storage;

namespace DataMesh.Gateway.Admin;

/// <summary>Opens the data directory's catalog with everything admin commands need, and bootstraps users.</summary>
public sealed class AdminCatalog : IDisposable
{
    private readonly Lazy<ObjectStorage> _storage;

    private AdminCatalog(CatalogService catalog, MetadataEngine metadata, string dataDirectory, StorageOptions? storage)
    {
        Catalog = catalog;
        Metadata = metadata;
        var options = storage ?? new StorageOptions { CacheDirectory = ObjectStorage.DefaultCacheDirectory(dataDirectory) };
        _storage = new Lazy<ObjectStorage>(() => new ObjectStorage(options, dataDirectory));
        Executor = new AdminExecutor(new AdminServices(catalog, metadata, dataDirectory, storage: _storage));
        Users = new CatalogUserStore(catalog);
    }

    /// <summary>Object storage (clients, storage key, object cache), shared with the server's query path; made on first use.</summary>
    public ObjectStorage Storage => _storage.Value;

    public CatalogService Catalog { get; }
    public MetadataEngine Metadata { get; }
    public AdminExecutor Executor { get; }
    public IUserStore Users { get; }

    public static string CatalogPath(string dataDirectory) => Path.Combine(Path.GetFullPath(dataDirectory), "catalog.db");

    /// <param name="storage">Object-storage settings; the defaults (cache in <c>tmp/objects</c>) when null.</param>
    /// <param name="load">False: the caller loads the snapshot later (<see cref="CatalogService.Load"/>), after opening its port.</param>
    public static AdminCatalog Open(string dataDirectory, StorageOptions? storage = null, bool load = true) =>
        Open(dataDirectory, SqliteCatalogStore.Open(CatalogPath(dataDirectory)), storage, load);

    /// <summary>The admin services over a catalog store opened by the caller (a shared PostgreSQL catalog); takes ownership of it.</summary>
    public static AdminCatalog Open(string dataDirectory, ICatalogStore store, StorageOptions? storage = null, bool load = true) =>
        new(new CatalogService(store, load), new MetadataEngine(), dataDirectory, storage);

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
        if (_storage.IsValueCreated) _storage.Value.Dispose();
        Metadata.Dispose();
        Catalog.Dispose();
    }
}
