using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Admin;

/// <summary>
/// Who sees an asset in the catalog (SEARCH CATALOG, DESCRIBE ASSET, SHOW ASSETS, the portal's browsing): everyone sees
/// published assets; only members of the owning project (and domain admins) see its inventory.
/// </summary>
public static class AssetVisibility
{
    public static bool CanSee(AdminContext ctx, AssetRecord asset) =>
        asset.Published || Permissions.HasRole(ctx, asset.Project, MemberRole.Viewer);
}
