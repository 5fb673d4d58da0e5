using DataMesh.Gateway.Admin.Provisioning;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Engine;

namespace DataMesh.Gateway.Admin;

/// <summary>What admin commands need besides the statement: the catalog, file inspection, provisioning, a clock.</summary>
public sealed class AdminServices(CatalogService catalog, MetadataEngine metadata, string dataDirectory, TimeProvider? clock = null)
{
    public CatalogService Catalog { get; } = catalog;

    /// <summary>Trusted DuckDB for reading Parquet schemas and parsing row filters; never runs user queries.</summary>
    public MetadataEngine Metadata { get; } = metadata;

    public string DataDirectory { get; } = Path.GetFullPath(dataDirectory);

    public TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    public Provisioner Provisioner { get; } = new(Path.GetFullPath(dataDirectory), metadata);
}
