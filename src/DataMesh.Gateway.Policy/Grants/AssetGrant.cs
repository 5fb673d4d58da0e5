namespace DataMesh.Gateway.Policy.Grants;

/// <summary>How one visible column of a granted asset is exposed: as is, or transformed by a mask.</summary>
public sealed record GrantColumn(string Name, string Type, string? Mask = null, int KeepFirst = 0, int KeepLast = 0)
{
    /// <summary>The type the consumer sees: hash, redact and partial masks produce text; null and year keep the type.</summary>
    public string VisibleType => Mask is "hash" or "redact" or "partial" ? "VARCHAR" : Type;
}

/// <summary>
/// What a session may read of one asset: its source, the visible columns (hidden ones do not exist for the consumer),
/// the row predicate already qualified with the policy subquery's own alias, and the grants that allowed it.
/// </summary>
public sealed record AssetGrant(
    string Project,
    string Asset,
    string SourcePath,
    IReadOnlyList<GrantColumn> Columns,
    string? QualifiedRowFilter,
    IReadOnlyList<long> SubscriptionIds,
    bool OwnProject)
{
    public string QualifiedName => $"{Project}.{Asset}";

    /// <summary>Identity-function calls in <see cref="QualifiedRowFilter"/> still to be bound for the caller (spans in it).</summary>
    public IReadOnlyList<Sql.IdentityCall> IdentityCalls { get; init; } = [];

    /// <summary>
    /// For an asset on an object store: the local files its pinned objects are read from (the gateway's object cache),
    /// in place of <see cref="SourcePath"/> (then the <c>s3://</c> pattern, which the engine never sees). Null otherwise.
    /// </summary>
    public IReadOnlyList<string>? Files { get; init; }

    /// <summary>What the engine may read for this grant: the cached files, or the source path.</summary>
    public IEnumerable<string> ReadPaths => Files ?? [SourcePath];

    /// <summary>Why the grant cannot be used by this caller (its filter needs a claim the identity lacks); null: usable.</summary>
    public string? Unavailable { get; init; }
}
