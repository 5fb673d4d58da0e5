using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Catalog.Store;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Admin.Storage;

/// <summary>
/// The part of an account one project owns (its <see cref="ProjectRecord.StoragePrefix"/>), and the one place that
/// turns a producer's asset source into what the engine reads. Everything that resolves, re-checks or shows a
/// project's storage goes through here, so an account kind (a directory today, an object store next) implements
/// these few members and the rules hold for it too: a source resolves inside the project's prefix only, never in a
/// neighbour's prefix, whatever the path says.
/// </summary>
public abstract class ProjectStorage
{
    protected ProjectStorage(AccountRecord account, ProjectRecord project, IReadOnlyList<ProjectRecord> neighbours)
    {
        Account = account;
        Project = project;
        Neighbours = neighbours;
    }

    public AccountRecord Account { get; }

    public ProjectRecord Project { get; }

    /// <summary>The other projects of the same account: their prefixes are out of bounds.</summary>
    protected IReadOnlyList<ProjectRecord> Neighbours { get; }

    /// <summary>Where the prefix is, as members see it: <c>/…/acct_marketing/marketing/</c>.</summary>
    public abstract string Location { get; }

    /// <summary>
    /// Resolves <paramref name="source"/> (relative to the prefix) to the path or pattern the engine reads, after
    /// proving that it and every object it matches now lie inside the prefix. 42501 for anything that would leave it.
    /// </summary>
    public abstract string Resolve(string source);

    /// <summary>
    /// Checks an asset's resolved path again before its files are read for a schema (PUBLISH, DESCRIBE's drift):
    /// a directory swapped for a link, or a new file that leads outside, is refused (42501) before anything is read.
    /// Assets resolved before prefixes existed are held to their account and kept out of other projects' prefixes.
    /// </summary>
    public abstract void Verify(string resolvedPath, string assetName);

    /// <summary>Creates the prefix (the producer_storage blueprint); idempotent.</summary>
    public abstract void Provision();

    /// <summary>
    /// Refuses a new project's prefix that holds files an asset of another project already reads (an account whose
    /// assets were resolved before prefixes existed keeps them where they were).
    /// </summary>
    public abstract void CheckClaim(IEnumerable<AssetRecord> otherProjectsAssets);

    /// <summary>The storage of <paramref name="project"/>, with the account's other projects as neighbours.</summary>
    public static ProjectStorage For(AccountRecord account, ProjectRecord project, IEnumerable<ProjectRecord> projects)
    {
        var neighbours = projects.Where(p => p.Account == account.Name && p.Name != project.Name).ToList();
        if (account.ObjectStore is not null) return new ObjectStores.ObjectProjectStorage(account, project, neighbours);
        if (!Path.IsPathFullyQualified(account.Location))
            throw new PgErrorException(SqlState.FeatureNotSupported, $"account \"{account.Name}\" has a location this gateway cannot read");
        return new LocalProjectStorage(account, project, neighbours);
    }

    /// <summary>The storage of an existing project, read in one transaction.</summary>
    public static ProjectStorage For(ICatalogReader reader, string project)
    {
        var p = reader.GetProject(project) ?? throw AdminErrors.Unknown("project", project);
        var account = reader.GetAccount(p.Account) ?? throw AdminErrors.Unknown("account", p.Account);
        return For(account, p, reader.ProjectsInAccount(p.Account));
    }

    /// <summary>
    /// The storage of an existing project with its neighbours from the snapshot, which holds every project: reading the
    /// account's projects again for each asset command cost ~50 ms with 11,000 projects in one account. Safe with a
    /// snapshot a moment old: a prefix is fixed when its project is created and never overlaps an existing one, so a
    /// project created since cannot hold this project's files.
    /// </summary>
    public static ProjectStorage For(ICatalogReader reader, string project, Catalog.Snapshots.CatalogSnapshot snapshot)
    {
        var p = reader.GetProject(project) ?? throw AdminErrors.Unknown("project", project);
        var account = reader.GetAccount(p.Account) ?? throw AdminErrors.Unknown("account", p.Account);
        return For(account, p, snapshot.Projects);
    }
}
