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
    /// Runs <paramref name="work"/> in a write transaction that is always rolled back: what a change would do, without
    /// doing it (a transaction block's admin commands run so until COMMIT). Holds the write lock while it runs.
    /// </summary>
    T Rehearse<T>(Func<ICatalogWriter, T> work);

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

    /// <summary>
    /// Records that a project's webhook received every event up to <paramref name="lastEvent"/>: bookkeeping in a
    /// transaction of its own that, like the audit, leaves the catalog's version (and every snapshot) as it is.
    /// </summary>
    void AdvanceWebhookCursor(string project, long lastEvent);

    /// <summary>Prepares SEARCH CATALOG's in-memory ranking in the background, when the store keeps one.</summary>
    Task PrepareSearch() => Task.CompletedTask;
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

    /// <summary>Reads of the named assets (current and former qualified names) by user and database.</summary>
    IReadOnlyList<UsageRow> Usage(IReadOnlyList<string> assetNames, DateTimeOffset? since);

    /// <summary>Every earlier qualified name of an asset, with when it stopped being its name.</summary>
    IReadOnlyList<(string Name, DateTimeOffset Until)> FormerAssetNames(long assetId);

    /// <summary>The highest event id (0: none yet).</summary>
    long LastEventId { get; }

    IReadOnlyList<EventRecord> Events(EventQuery query);

    /// <summary>True when this event was already recorded (the expiry warnings are recorded once per expiry time).</summary>
    bool HasEvent(long subscriptionId, string kind, string? detail);

    /// <summary>Per project with a webhook: the last event delivered to it.</summary>
    IReadOnlyDictionary<string, long> WebhookCursors();

    /// <summary>The change requests of one subscription (null: all), oldest first.</summary>
    IReadOnlyList<SubscriptionChangeRecord> SubscriptionChanges(long? subscriptionId);

    IReadOnlyList<MetadataFormRecord> Forms();
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

    // ---- lifecycle (docs/ADMIN-SQL.md: dropping and renaming) ----
    void UpdateTerm(GlossaryTermRecord term);
    void DeleteTerm(string term);
    void RenameTerm(string oldName, string newName);
    void DeleteAsset(long id);
    void RenameAsset(long id, string newName, DateTimeOffset at);
    void DeleteProject(string name);
    void RenameProject(string oldName, string newName, DateTimeOffset at);
    void DeleteProfile(string name);
    void RenameProfile(string oldName, string newName);
    void DeleteBlueprint(string name);
    void RenameBlueprint(string oldName, string newName);
    void DeleteAccount(string name);
    void RenameAccount(string oldName, string newName);
    void RenameGroup(string oldName, string newName);
    void SetProjectWebhook(string project, string? url);

    /// <summary>Appends an event (in the command's own transaction, so it exists exactly when the change does).</summary>
    long AppendEvent(EventRecord record);
    long InsertSubscriptionChange(SubscriptionChangeRecord change);
    void DecideSubscriptionChange(long id, ChangeRequestStatus status, string decidedBy, DateTimeOffset at, string? comment);
    void InsertForm(MetadataFormRecord form);
    void DeleteForm(string name);

    /// <summary>Records that anything may have changed (a bulk load): followers reload rather than patch.</summary>
    void ChangedEverything();
}

/// <summary>What SHOW DOMAIN counts.</summary>
public sealed record CatalogCounts(long Accounts, long Projects, long PublishedAssets, long Users, long DomainAdmins, long ApprovedSubscriptions, long PendingRequests);
