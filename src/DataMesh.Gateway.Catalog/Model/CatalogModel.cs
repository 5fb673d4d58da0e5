namespace DataMesh.Gateway.Catalog.Model;

// The mesh as stored. Records are immutable; the store maps them to SQLite rows and back.

/// <summary>
/// A user. Local users (<see cref="Source"/> "local") hold a SCRAM verifier; users from an identity provider ("oidc")
/// hold none and are bound to the (issuer, subject) that first signed in under the name.
/// </summary>
public sealed record UserRecord(string Name, string? Verifier, bool IsDomainAdmin, string Source, DateTimeOffset CreatedAt,
    string? Issuer = null, string? Subject = null)
{
    public const string LocalSource = "local";
    public const string IdentityProviderSource = "oidc";
}

public sealed record GroupRecord(string Name, IReadOnlyList<string> Members, DateTimeOffset CreatedAt);

public enum AccountStatus { Proposed, Accepted }

public sealed record AccountRecord(string Name, string Location, string Admin, AccountStatus Status, string ProposedBy,
    DateTimeOffset CreatedAt, DateTimeOffset? AcceptedAt)
{
    /// <summary>How to reach the bucket of an <c>s3://</c> account; null for a local-directory account.</summary>
    public ObjectStoreRecord? ObjectStore { get; init; }
}

/// <summary>
/// The connection of an object-store account: endpoint (null: AWS), region, URL style (<c>path</c> or <c>vhost</c>),
/// credential source (<c>static</c>, <c>env</c>, <c>file:NAME</c>) and, for static credentials, the key id and the
/// secret sealed with the gateway's storage key. The catalog never holds the secret in the clear.
/// </summary>
public sealed record ObjectStoreRecord(string? Endpoint, string Region, string UrlStyle, string Credentials, string? AccessKeyId, string? SealedSecret);

/// <summary>One object an asset on an object store reads, pinned by its ETag (and size) when the asset was created or published.</summary>
public sealed record ObjectRecord(string Key, string ETag, long Size);

/// <summary>
/// Where a data product written by a project came from: the workspace table or query, the assets it read and the
/// subscriptions that allowed it, so its owners (and its consumers) can see when an upstream grant changes.
/// </summary>
public sealed record LineageRecord(string Origin, IReadOnlyList<string> Assets, IReadOnlyList<long> SubscriptionIds);

/// <summary>A provisioning step with its parameters, e.g. <c>query_limits WITH (memory = '2GB')</c>.</summary>
public sealed record StepRecord(string Name, IReadOnlyDictionary<string, string> Parameters);

public sealed record BlueprintRecord(string Name, bool BuiltIn, IReadOnlyList<StepRecord> Steps, string? Description, DateTimeOffset CreatedAt);

public sealed record ProfileRecord(string Name, IReadOnlyList<StepRecord> Blueprints, string? Description, DateTimeOffset CreatedAt);

public enum MemberRole { Viewer = 1, Contributor = 2, Owner = 3 }

public sealed record MemberRecord(string Principal, bool IsGroup, MemberRole Role);

/// <summary>Resources a project's blueprints provisioned (paths, limits, clone URL), as name → value.</summary>
public sealed record ProjectRecord(string Name, string Account, string Profile, string? Description,
    IReadOnlyDictionary<string, string> Resources, IReadOnlyList<MemberRecord> Members, string CreatedBy, DateTimeOffset CreatedAt)
{
    /// <summary>Where the project's events are POSTed (ALTER PROJECT p SET WEBHOOK); null: nowhere.</summary>
    public string? Webhook { get; init; }

    /// <summary>
    /// What the project's schema OID is derived from: its name when it was created. A rename keeps it (clients that
    /// cached the OID still find the schema), and a new project named like a renamed one gets a key of its own.
    /// </summary>
    public string OidKey { get; init; } = Name;

    /// <summary>
    /// The part of its account the project owns, relative to the account's location ("marketing", "teams/emea"):
    /// its assets' sources resolve inside it and nowhere else. The project's name unless the profile's
    /// producer_storage blueprint names another path.
    /// </summary>
    public string StoragePrefix { get; init; } = Name;
}

/// <summary>
/// A business term. <see cref="Parent"/> places it under a broader term (a hierarchy, never a cycle);
/// <see cref="OwnerProject"/> makes it part of that project's glossary (its owners edit it); null: the domain's
/// glossary (domain admins edit it).
/// </summary>
public sealed record GlossaryTermRecord(string Term, string? Description, DateTimeOffset CreatedAt)
{
    public string? Parent { get; init; }
    public string? OwnerProject { get; init; }
}

/// <summary>A column of an asset's schema, read from the Parquet metadata.</summary>
public sealed record ColumnRecord(string Name, string Type);

public sealed record AssetRecord(
    long Id,
    string Project,
    string Name,
    string Source,
    string ResolvedPath,
    string? Description,
    IReadOnlyList<string> Terms,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> ColumnDescriptions,
    IReadOnlyList<ColumnRecord> Schema,
    bool Published,
    int? LatestRevision,
    string CreatedBy,
    DateTimeOffset CreatedAt)
{
    public string QualifiedName => $"{Project}.{Name}";

    /// <summary>Glossary terms of single columns (ALTER ASSET … SET COLUMN c TERMS (…)), column → terms.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ColumnTerms { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// For an asset on an object store (<see cref="ResolvedPath"/> is then an <c>s3://bucket/key-pattern</c>): the
    /// objects it reads, pinned at CREATE ASSET and at each PUBLISH ASSET. Null for files on a local account.
    /// </summary>
    public IReadOnlyList<ObjectRecord>? Objects { get; init; }

    /// <summary>For a data product a project wrote (CREATE ASSET … FROM WORKSPACE TABLE / AS SELECT): where it came from.</summary>
    public LineageRecord? Lineage { get; init; }

    /// <summary>The declared key (ALTER ASSET … SET PRIMARY KEY), in the schema's spelling; empty: none declared.</summary>
    public IReadOnlyList<string> PrimaryKey { get; init; } = [];

    /// <summary>The declared clustering (ALTER ASSET … SET CLUSTER BY), in the schema's spelling; empty: none declared.</summary>
    public IReadOnlyList<string> ClusterBy { get; init; } = [];
}

public sealed record RevisionRecord(long AssetId, int Revision, IReadOnlyList<ColumnRecord> Schema, string? Description,
    string PublishedBy, DateTimeOffset PublishedAt);

/// <summary>Withdrawn: the consumer project took its pending request back (final, like rejected).</summary>
public enum SubscriptionStatus { Pending, Approved, Rejected, Revoked, Expired, Withdrawn }

public sealed record MaskRecord(string Column, string Kind, int KeepFirst, int KeepLast);

public sealed record SubscriptionRecord(
    long Id,
    long AssetId,
    string AssetProject,
    string AssetName,
    string ConsumerProject,
    string Justification,
    SubscriptionStatus StoredStatus,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Comment,
    string? RowFilter,
    IReadOnlyList<string>? IncludeColumns,
    IReadOnlyList<string>? ExcludeColumns,
    IReadOnlyList<MaskRecord> Masks,
    DateTimeOffset? ExpiresAt)
{
    /// <summary>
    /// The columns the owner approved, pinned at approval (the asset's columns then, after the include or exclude
    /// filter, plus any approved later with APPROVE SUBSCRIPTION … ADD COLUMNS). A column a later revision adds is not
    /// among them, so the grant does not show it until the owner approves it. Null: not decided yet.
    /// </summary>
    public IReadOnlyList<string>? ApprovedColumns { get; init; }

    /// <summary>The revision the grant was approved against (for a grant migrated from an older catalog: see docs).</summary>
    public int? ApprovedRevision { get; init; }

    /// <summary>
    /// Whether the grant shows <paramref name="column"/>: one its owner approved, within its include or exclude filter.
    /// The query path (Policy's GrantSet) and the admin side (SHOW EFFECTIVE POLICY, SHOW SUBSCRIPTIONS, PUBLISH's
    /// notice) both ask this, so they cannot disagree.
    /// </summary>
    public bool Shows(string column) =>
        (ApprovedColumns is null || ApprovedColumns.Contains(column))
        && (IncludeColumns is null || IncludeColumns.Contains(column))
        && (ExcludeColumns is null || !ExcludeColumns.Contains(column));

    /// <summary>
    /// True for a column the grant's filter would show but its owner has not approved: one a revision added after the
    /// approval. (A column outside an include list or inside an exclude list is hidden by the filter, not withheld.)
    /// </summary>
    public bool Withholds(string column) =>
        ApprovedColumns is not null && !ApprovedColumns.Contains(column)
        && (IncludeColumns is null || IncludeColumns.Contains(column))
        && (ExcludeColumns is null || !ExcludeColumns.Contains(column));

    /// <summary>Expiry is derived, not stored: an approved grant past its expiry stops counting the moment it passes.</summary>
    public SubscriptionStatus StatusAt(DateTimeOffset now) =>
        StoredStatus == SubscriptionStatus.Approved && ExpiresAt is { } e && e <= now ? SubscriptionStatus.Expired : StoredStatus;
}

/// <summary>One append-only audit entry. Query records (the governed-query issue) use the same shape.</summary>
public sealed record AuditRecord(
    long Id,
    DateTimeOffset At,
    string User,
    string? Issuer,
    string? Subject,
    string? Project,
    string Kind,
    string Command,
    string? StatementText,
    string Outcome,
    string? SqlState,
    string? Message,
    IReadOnlyList<string> Assets,
    IReadOnlyList<long> SubscriptionIds,
    string? PolicyVersion,
    long? RowCount,
    double? DurationMs);
