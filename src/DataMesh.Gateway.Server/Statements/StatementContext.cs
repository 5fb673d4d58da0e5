using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Server.Engines;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Lineage;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Statements;

/// <summary>What statement handlers work with: one connection's session, its limits and the gateway's services. No wire.</summary>
internal sealed class StatementContext(Session session, GatewayServerOptions options, GovernanceService governance, SessionEngines engines,
    AdminExecutor admin, CatalogService catalog, MetadataEngine metadata)
{
    public Session Session { get; } = session;
    public GatewayServerOptions Options { get; } = options;
    public GovernanceService Governance { get; } = governance;

    /// <summary>The projects' engine instances: the session follows its project's grants to a rebuilt one.</summary>
    public SessionEngines Engines { get; } = engines;

    /// <summary>Runs admin commands (and audits them itself, in the catalog).</summary>
    public AdminExecutor Admin { get; } = admin;

    /// <summary>The catalog's snapshots, read when an engine error may be the asset files' fault.</summary>
    public CatalogService Catalog { get; } = catalog;

    /// <summary>Reads Parquet footers to diagnose the asset files of a failed query.</summary>
    public MetadataEngine Metadata { get; } = metadata;

    /// <summary>Where this connection's workspace rows came from, and whether those grants still stand.</summary>
    public WorkspaceLineageGuard Lineage { get; } = new(catalog.Store, catalog, governance, TimeProvider.System);
}
