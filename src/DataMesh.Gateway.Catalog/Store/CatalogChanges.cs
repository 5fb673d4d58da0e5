namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// One entity a committed write changed: its kind (<see cref="ChangeKinds"/>) and its key (a name, or an id as text).
/// The change log records what changed, not how: a reader follows it by reading each entity's current state again,
/// so applying the same change twice, or a change whose entity has changed again since, gives the same result.
/// </summary>
public readonly record struct CatalogChange(string Kind, string Key);

/// <summary>Every change of one committed write transaction, at the position (catalog version) it committed as.</summary>
public sealed record ChangeBatch(long Position, IReadOnlyList<CatalogChange> Changes);

/// <summary>The kinds of entity the change log names.</summary>
public static class ChangeKinds
{
    public const string User = "user";
    public const string Group = "group";
    public const string Project = "project";
    /// <summary>Key: the asset's id.</summary>
    public const string Asset = "asset";
    /// <summary>Key: the subscription's id.</summary>
    public const string Subscription = "subscription";
    /// <summary>The domain's name or mask key (key: empty).</summary>
    public const string Domain = "domain";
    public const string Account = "account";
    public const string Blueprint = "blueprint";
    public const string Profile = "profile";
    public const string Term = "term";
    /// <summary>Anything may have changed (a bulk load, a migration): a follower reloads everything it holds.</summary>
    public const string Everything = "all";
}
