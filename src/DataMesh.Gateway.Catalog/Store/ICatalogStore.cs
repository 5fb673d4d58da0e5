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

    /// <summary>Appends an audit record in a transaction of its own (used for commands that failed and rolled back).</summary>
    void AppendAudit(AuditRecord record);

    /// <summary>Appends several audit records in one transaction (query records, written in batches).</summary>
    void AppendAudit(IReadOnlyList<AuditRecord> records);
}

public interface ICatalogReader
{
    /// <summary>Increases with every committed change; snapshots and cached rewrites are keyed by it.</summary>
    long Version { get; }

    /// <summary>The domain's name (the gateway's one catalog).</summary>
    string DomainName { get; }

    /// <summary>The per-domain key of the hash mask, so masked values still join but cannot be looked up.</summary>
    string MaskSecret { get; }

    UserRecord? GetUser(string name);
    IReadOnlyList<UserRecord> Users();
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
    GlossaryTermRecord? GetTerm(string term);
    IReadOnlyList<GlossaryTermRecord> Terms();
    AssetRecord? GetAsset(string project, string name);
    AssetRecord? GetAsset(long id);
    IReadOnlyList<AssetRecord> Assets();
    IReadOnlyList<RevisionRecord> Revisions(long assetId);
    SubscriptionRecord? GetSubscription(long id);
    IReadOnlyList<SubscriptionRecord> Subscriptions();

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
}
