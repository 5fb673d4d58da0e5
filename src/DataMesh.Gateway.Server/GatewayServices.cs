using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Server.Engines;
using DataMesh.Gateway.Server.Governance;

namespace DataMesh.Gateway.Server;

/// <summary>
/// Everything the wire server uses from the rest of the gateway, each named for what it is: who may sign in, the
/// catalog (snapshots, and the store the query audit is written to), the metadata engine (the asset files of a failed
/// query are diagnosed with it), the admin executor, governance (project access and plans) and the engine instances.
/// </summary>
public sealed record GatewayServices(
    IUserStore Users,
    CatalogService Catalog,
    MetadataEngine Metadata,
    AdminExecutor Admin,
    GovernanceService Governance,
    SessionEngines Engines);
