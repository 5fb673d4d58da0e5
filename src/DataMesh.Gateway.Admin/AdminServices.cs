using DataMesh.Gateway.Admin.Provisioning;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Storage;

namespace DataMesh.Gateway.Admin;

/// <summary>What admin commands need besides the statement: the catalog, file inspection, object storage, provisioning, a clock.</summary>
public sealed class AdminServices(CatalogService catalog, MetadataEngine metadata, string dataDirectory, TimeProvider? clock = null,
    Lazy<ObjectStorage>? storage = null)
{
    private readonly Lazy<ObjectStorage> _storage = storage ?? new Lazy<ObjectStorage>(() =>
        new ObjectStorage(new StorageOptions { CacheDirectory = ObjectStorage.DefaultCacheDirectory(dataDirectory) }, dataDirectory, clock));

    public CatalogService Catalog { get; } = catalog;

    /// <summary>Trusted DuckDB for reading Parquet schemas and parsing row filters; never runs user queries.</summary>
    public MetadataEngine Metadata { get; } = metadata;

    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);

    public TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    /// <summary>Accounts on object stores: their clients, the storage key, footers and the object cache (made on first use).</summary>
    public ObjectStorage Storage => _storage.Value;

    public Provisioner Provisioner { get; } = new(Path.GetFullPath(dataDirectory), metadata);

    /// <summary>The sessions open on projects (the server's): a project is neither dropped nor renamed under them. Null: none known.</summary>
    public IProjectSessions? Sessions { get; set; }

    /// <summary>Lets a project's webhook be plain http (tests and local development); https only otherwise.</summary>
    public bool AllowHttpWebhooks { get; set; }
}

/// <summary>Who is connected where: the server answers for its sessions (and the portal's).</summary>
public interface IProjectSessions
{
    /// <summary>The number of open sessions whose database is <paramref name="project"/>.</summary>
    int CountIn(string project);
}
