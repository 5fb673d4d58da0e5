using DataMesh.Gateway.Admin.Storage;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Storage.Objects;

namespace DataMesh.Gateway.Admin.ObjectStores;

/// <summary>
/// A project's prefix on an object-store account: <c>s3://bucket/prefix/&lt;storage prefix&gt;/</c>. S3 keys are plain
/// strings (no links to resolve), so the rules are string rules: a source is a key pattern below the prefix
/// (<see cref="ObjectPattern.Below"/>), and only keys under it are listed. Listing and pinning the objects, and reading
/// their footers, is <see cref="ObjectSources"/>' job.
/// </summary>
internal sealed class ObjectProjectStorage(AccountRecord account, ProjectRecord project, IReadOnlyList<ProjectRecord> neighbours)
    : ProjectStorage(account, project, neighbours)
{
    public override string Location => ObjectSources.ProjectRoot(Project, Account).ToString();

    /// <summary>Nothing to create: a prefix exists as soon as an object is written under it.</summary>
    public override void Provision()
    {
    }

    public override string Resolve(string source) => ObjectSources.Below(Project, Account, source).ToString();

    public override void Verify(string resolvedPath, string assetName)
    {
        var root = ObjectSources.ProjectRoot(Project, Account);
        var pattern = ObjectPattern.Parse(resolvedPath);
        if (pattern.Bucket != root.Bucket || !root.Contains(pattern.ListPrefix)
            || Neighbours.Any(n => ObjectSources.ProjectRoot(n, Account) is var other && other.Prefix.Length > root.Prefix.Length && other.Contains(pattern.ListPrefix)))
            throw AdminErrors.Denied($"the objects of asset {assetName} are not under the prefix of project \"{Project.Name}\"");
    }

    public override void CheckClaim(IEnumerable<AssetRecord> otherProjectsAssets)
    {
        var root = ObjectSources.ProjectRoot(Project, Account);
        foreach (var asset in otherProjectsAssets.Where(a => a.Objects is not null))
        {
            if (root.Contains(ObjectPattern.Parse(asset.ResolvedPath).ListPrefix))
                throw AdminErrors.Invalid(
                    $"storage prefix \"{Project.StoragePrefix}\" of account \"{Account.Name}\" holds objects that assets of project \"{asset.Project}\" read",
                    "give the project another prefix with the producer_storage blueprint's path parameter");
        }
    }
}
