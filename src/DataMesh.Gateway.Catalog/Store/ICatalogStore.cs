using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// The seam between the catalog logic and its storage. SQLite is the embedded default; a shared PostgreSQL
/// catalog for a fleet of gateways can implement the same interface later. Every <see cref="Write{T}"/> is one
/// transaction: it commits when the work returns and rolls back when it throws, so nothing is half-written.
/// </summary>
public interface ICatalogStore : IDisposable, IWorkspaceLineageStore
{
    T Read<T>(Func<ICatalogReader, T> work);

    T Write<T>(Func<ICatalogWriter, T> work);

    /// <summary>
    /// The change log after <paramref name="position"/>, oldest first, at most <paramref name="maxBatches"/> writes:
    /// what a follower (this gateway's snapshot, another node of a fleet) applies to catch up without reloading.
    /// Empty when nothing changed. A follower whose position is older than the log's oldest entry reloads instead.
    /// </summary>
    IReadOnlyList<ChangeBatch> ChangesSince(long position, int maxBatches);

    /// <summary>Appends an audit record in a transaction of its own (used for commands that failed and rolled back).</summary>
    void AppendAudit(AuditRecord record);

    /// <summary>Appends several audit records in one transaction (query records, written in batches).</summary>
    void AppendAudit(IReadOnlyList<AuditRecord> records);
}

public interface ICatalogReader
{
    /// <summary>Increases with every committed write that changed something: the position of its change log entries.</summary>
    long Version { get; }

    /// <summary>The change log after <paramref name="position"/> (see <see cref="ICatalogStore.ChangesSince"/>).</summary>
    IReadOnlyList<ChangeBatch> ChangesSince(long position, int maxBatches);

    /// <summary>The oldest position the change log still holds (0: none).</summary>
    long OldestChange { get; }

    /// <summary>The domain's name (the gateway's one catalog).</summary>
    string DomainName { get; }

    /// <summary>The per-domain key of the hash mask, so masked values still join but cannot be looked up.</summary>
    string MaskSecret { get; }

    UserRecord? GetUser(string name);
    IReadOnlyList<UserRecord> Users();
    /// <summary>The user an identity provider's (issuer, subject) signed in as, if any.</summary>
    UserRecord? UserByIdentity(string issuer, string subject);
    int DomainAdminCount();
    GroupRecord? GetGroup(string name);
    IReadOnlyList<GroupRecord> Groups();
    AccountRecord? GetAccount(string name);
    IReadOnlyList<AccountRecord> Accounts();
    BlueprintRecord? GetBlueprint(string name);
    IReadOnlyList<BlueprintRecord> Blueprints();
    ProfileRecord? GetProfile(string name);
    IReadOnlyList<ProfileRecord> Profiles();
    ProjectRecord? GetProject(string name);
    IReadOnlyList<ProjectRecord> Projects();
    /// <summary>The projects of one account (a project's storage neighbours).</summary>
    IReadOnlyList<ProjectRecord> ProjectsInAccount(string account);
    /// <summary>The projects where the user or group is a direct member.</summary>
    IReadOnlyList<ProjectRecord> ProjectsWithMember(string principal, bool isGroup);
    GlossaryTermRecord? GetTerm(string term);
    IReadOnlyList<GlossaryTermRecord> Terms();
    AssetRecord? GetAsset(string project, string name);
    AssetRecord? GetAsset(long id);
    IReadOnlyList<AssetRecord> Assets();
    /// <summary>The assets a project owns, by name.</summary>
    IReadOnlyList<AssetRecord> AssetsOf(string project);
    /// <summary>The published assets named <paramref name="name"/>, in any project.</summary>
    IReadOnlyList<AssetRecord> PublishedAssetsNamed(string name);
    IReadOnlyList<RevisionRecord> Revisions(long assetId);
    SubscriptionRecord? GetSubscription(long id);
    IReadOnlyList<SubscriptionRecord> Subscriptions();

    /// <summary>A consumer project's subscriptions, any status, oldest first.</summary>
    IReadOnlyList<SubscriptionRecord> SubscriptionsOf(string consumerProject);

    /// <summary>A consumer project's subscriptions whose stored status is approved (expired ones too), oldest first.</summary>
    IReadOnlyList<SubscriptionRecord> ApprovedSubscriptionsOf(string consumerProject);

    /// <summary>The consumer's newest subscription to the asset, any status.</summary>
    SubscriptionRecord? LatestSubscription(string consumerProject, long assetId);

    /// <summary>The consumer's subscriptions to the asset that are pending or approved (by stored status), oldest first.</summary>
    IReadOnlyList<SubscriptionRecord> OpenSubscriptions(string consumerProject, long assetId);

    /// <summary>Every pending request, oldest first.</summary>
    IReadOnlyList<SubscriptionRecord> PendingSubscriptions();

    /// <summary>The projects holding an approved (by stored status) subscription to the asset.</summary>
    IReadOnlyList<string> ConsumersOf(long assetId);

    /// <summary>Counts for SHOW DOMAIN, without reading the rows.</summary>
    CatalogCounts Counts(DateTimeOffset now);

    /// <summary>The subscriptions to one asset, any status, oldest first.</summary>
    IReadOnlyList<SubscriptionRecord> SubscriptionsTo(long assetId);

    /// <summary>Full-text search over asset names, descriptions, columns, terms and metadata: the hits with their assets,
    /// best (bm25) first, each ranked inside a corpus <paramref name="scope"/> may see whole.</summary>
    IReadOnlyList<(AssetRecord Asset, double Score)> SearchAssets(string text, int limit, SearchScope scope);

    IReadOnlyList<AuditRecord> Audit(int limit, string? user);

    /// <summary>Audit records by <see cref="AuditQuery"/>: its visibility rule, then its filters, newest first.</summary>
    IReadOnlyList<AuditRecord> Audit(AuditQuery query);
}

public interface ICatalogWriter : ICatalogReader
{
    /// <summary>Renames the domain; the name is data only (no path or key is derived from it).</summary>
    void SetDomainName(string name);
    void InsertUser(UserRecord user);
    void SetUserVerifier(string name, string verifier);
    void SetDomainAdmin(string name, bool isAdmin);
    void DeleteUser(string name);
    void InsertGroup(string name, DateTimeOffset at);
    void DeleteGroup(string name);
    void AddGroupMember(string group, string user);
    void RemoveGroupMember(string group, string user);
    void InsertAccount(AccountRecord account);
    void AcceptAccount(string name, DateTimeOffset at);
    void SetAccountAdmin(string name, string admin);
    /// <summary>Replaces an object-store account's connection (credential rotation).</summary>
    void SetAccountObjectStore(string name, ObjectStoreRecord store);
    void InsertBlueprint(BlueprintRecord blueprint);
    void InsertProfile(ProfileRecord profile);
    void InsertProject(ProjectRecord project);
    void SetMember(string project, MemberRecord member);
    void RemoveMember(string project, string principal, bool isGroup);
    void InsertTerm(GlossaryTermRecord term);
    long InsertAsset(AssetRecord asset);
    void UpdateAsset(AssetRecord asset);
    void InsertRevision(RevisionRecord revision);
    long InsertSubscription(SubscriptionRecord subscription);
    void UpdateSubscription(SubscriptionRecord subscription);
    void AppendAudit(AuditRecord record);

    /// <summary>Records that anything may have changed (a bulk load): followers reload rather than patch.</summary>
    void ChangedEverything();
}

/// <summary>What SHOW DOMAIN counts.</summary>
public sealed record CatalogCounts(long Accounts, long Projects, long PublishedAssets, long Users, long DomainAdmins, long ApprovedSubscriptions, long PendingRequests);
