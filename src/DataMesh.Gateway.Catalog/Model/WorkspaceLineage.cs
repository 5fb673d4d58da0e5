namespace DataMesh.Gateway.Catalog.Model;

/// <summary>
/// One subscription that rows of a workspace table came from: its id, the asset it grants, and a hash of the grant as
/// it stood when the rows were written (source, row filter, columns, masks), so a grant that changed since is noticed.
/// </summary>
public sealed record LineageSource(long SubscriptionId, string AssetProject, string Asset, string Grant);

/// <summary>
/// Where the rows of a workspace table came from: every subscription any of its writes read through, directly or
/// through another workspace table. An empty list: only the project's own data (or constants).
/// </summary>
public sealed record WorkspaceLineage(string Project, string Table, IReadOnlyList<LineageSource> Sources, DateTimeOffset UpdatedAt);
