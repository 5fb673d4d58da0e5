namespace DataMesh.Gateway.Sql.Admin;

// The admin-command language (docs/ADMIN-SQL.md). Each statement is one record; the parser produces them from
// lexer tokens and the server's admin handlers execute them. Names are kept as written (case-folded like
// PostgreSQL identifiers: unquoted lower-cased, quoted exact); string literals are decoded.

/// <summary>Base of every admin statement. <see cref="Offset"/> is the statement's start in the query text.</summary>
public abstract record AdminStatement
{
    /// <summary>The verb phrase used in audit records and command tags, e.g. "CREATE PROJECT".</summary>
    public abstract string Tag { get; }
}

/// <summary>A qualified asset name: owning project and asset.</summary>
public sealed record AssetName(string Project, string Asset)
{
    public override string ToString() => $"{Project}.{Asset}";
}

/// <summary>A blueprint (or provisioning step) reference with parameters: <c>query_limits WITH (memory = '2GB')</c>.</summary>
public sealed record BlueprintRef(string Name, IReadOnlyDictionary<string, string> Parameters);

public enum ProjectRole { Owner, Contributor, Viewer }

public enum MaskKind { Hash, Redact, Partial, Null, Year }

/// <summary>A column mask: <c>customer_email USING partial(2, 4)</c>. Partial keeps the first/last N characters.</summary>
public sealed record ColumnMask(string Column, MaskKind Kind, int KeepFirst = 0, int KeepLast = 0);

/// <summary>A raw SQL expression captured between balanced parentheses, with its offset in the statement text.</summary>
public sealed record SqlFragment(string Text, int Offset);

// ---- the domain (the gateway's one catalog) ----
public sealed record ShowDomain : AdminStatement { public override string Tag => "SHOW DOMAIN"; }
public sealed record RenameDomain(string Name) : AdminStatement { public override string Tag => "ALTER DOMAIN"; }

// ---- users, groups, domain roles ----
public sealed record CreateUser(string Name, string Password) : AdminStatement { public override string Tag => "CREATE USER"; }
public sealed record AlterUserPassword(string Name, string Password) : AdminStatement { public override string Tag => "ALTER USER"; }
public sealed record DropUser(string Name) : AdminStatement { public override string Tag => "DROP USER"; }
public sealed record ShowUsers : AdminStatement { public override string Tag => "SHOW USERS"; }
public sealed record GrantDomainAdmin(string User) : AdminStatement { public override string Tag => "GRANT DOMAIN ADMIN"; }
public sealed record RevokeDomainAdmin(string User) : AdminStatement { public override string Tag => "REVOKE DOMAIN ADMIN"; }
public sealed record CreateGroup(string Name) : AdminStatement { public override string Tag => "CREATE GROUP"; }
public sealed record DropGroup(string Name) : AdminStatement { public override string Tag => "DROP GROUP"; }
public sealed record AlterGroupAddUser(string Group, string User) : AdminStatement { public override string Tag => "ALTER GROUP"; }
public sealed record AlterGroupDropUser(string Group, string User) : AdminStatement { public override string Tag => "ALTER GROUP"; }
public sealed record ShowGroups : AdminStatement { public override string Tag => "SHOW GROUPS"; }

// ---- associated accounts ----
public sealed record AssociateAccount(string Name, string Location, string Admin) : AdminStatement
{
    public static readonly IReadOnlyDictionary<string, string> NoOptions = new Dictionary<string, string>();

    /// <summary>WITH (…): an object-store account's endpoint, region, url_style and credentials (may hold a secret).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = NoOptions;

    public override string Tag => "ASSOCIATE ACCOUNT";
}

/// <summary>ALTER ACCOUNT name SET CREDENTIALS (…): rotates an object-store account's credentials.</summary>
public sealed record AlterAccountCredentials(string Name, IReadOnlyDictionary<string, string> Options) : AdminStatement { public override string Tag => "ALTER ACCOUNT"; }
public sealed record AcceptAccount(string Name) : AdminStatement { public override string Tag => "ACCEPT ACCOUNT"; }
public sealed record AlterAccountAdmin(string Name, string Admin) : AdminStatement { public override string Tag => "ALTER ACCOUNT"; }
public sealed record ShowAccounts : AdminStatement { public override string Tag => "SHOW ACCOUNTS"; }

// ---- blueprints, profiles, projects, members ----
public sealed record ShowBlueprints : AdminStatement { public override string Tag => "SHOW BLUEPRINTS"; }
public sealed record CreateBlueprint(string Name, IReadOnlyList<BlueprintRef> Steps) : AdminStatement { public override string Tag => "CREATE BLUEPRINT"; }
public sealed record CreateProjectProfile(string Name, IReadOnlyList<BlueprintRef> Blueprints, string? Description) : AdminStatement { public override string Tag => "CREATE PROJECT PROFILE"; }
public sealed record ShowProjectProfiles : AdminStatement { public override string Tag => "SHOW PROJECT PROFILES"; }
public sealed record CreateProject(string Name, string Account, string Profile, string? Description) : AdminStatement { public override string Tag => "CREATE PROJECT"; }
public sealed record ShowProjects : AdminStatement { public override string Tag => "SHOW PROJECTS"; }
public sealed record DescribeProject(string Project) : AdminStatement { public override string Tag => "DESCRIBE PROJECT"; }
public sealed record AddMember(string Project, string Principal, bool IsGroup, ProjectRole Role) : AdminStatement { public override string Tag => "ADD MEMBER"; }
public sealed record RemoveMember(string Project, string Principal, bool IsGroup) : AdminStatement { public override string Tag => "REMOVE MEMBER"; }
public sealed record ShowMembers(string Project) : AdminStatement { public override string Tag => "SHOW MEMBERS"; }

// ---- glossary and assets ----
public sealed record CreateGlossaryTerm(string Term, string? Description, string? Parent = null, string? OwnerProject = null) : AdminStatement { public override string Tag => "CREATE GLOSSARY TERM"; }
public sealed record ShowGlossary : AdminStatement { public override string Tag => "SHOW GLOSSARY"; }
public sealed record CreateAsset(AssetName Name, string Source, string? Description, IReadOnlyList<string> Terms,
    IReadOnlyDictionary<string, string> Metadata) : AdminStatement { public override string Tag => "CREATE ASSET"; }

/// <summary>
/// CREATE ASSET p.a FROM WORKSPACE TABLE t | CREATE ASSET p.a AS query: a data product the project writes from its own
/// governed results (Parquet in its storage prefix). <see cref="Query"/> is what runs (for a workspace table, a SELECT
/// of it); <see cref="Origin"/> says where the rows came from.
/// </summary>
public sealed record CreateDataProduct(AssetName Name, string Origin, string Query, string? WorkspaceTable, string? Description,
    IReadOnlyList<string> Terms, IReadOnlyDictionary<string, string> Metadata) : AdminStatement
{
    /// <summary>Where the query starts in the statement text (for error positions).</summary>
    public int QueryOffset { get; init; }

    public override string Tag => "CREATE ASSET";
}
public sealed record AlterAssetColumnDescription(AssetName Name, string Column, string Description) : AdminStatement { public override string Tag => "ALTER ASSET"; }
public sealed record AlterAssetDescription(AssetName Name, string Description) : AdminStatement { public override string Tag => "ALTER ASSET"; }
public sealed record AlterAssetTerms(AssetName Name, IReadOnlyList<string> Terms) : AdminStatement { public override string Tag => "ALTER ASSET"; }
public sealed record AlterAssetMetadata(AssetName Name, IReadOnlyDictionary<string, string> Metadata) : AdminStatement { public override string Tag => "ALTER ASSET"; }
/// <summary>ALTER ASSET p.a SET PRIMARY KEY (col, …): the declared key (empty: none), shown by DESCRIBE ASSET.</summary>
public sealed record AlterAssetPrimaryKey(AssetName Name, IReadOnlyList<string> Columns) : AdminStatement { public override string Tag => "ALTER ASSET"; }
/// <summary>ALTER ASSET p.a SET CLUSTER BY (col, …): the declared row order (empty: none), shown by DESCRIBE ASSET.</summary>
public sealed record AlterAssetClusterBy(AssetName Name, IReadOnlyList<string> Columns) : AdminStatement { public override string Tag => "ALTER ASSET"; }
public sealed record PublishAsset(AssetName Name) : AdminStatement { public override string Tag => "PUBLISH ASSET"; }
public sealed record UnpublishAsset(AssetName Name) : AdminStatement { public override string Tag => "UNPUBLISH ASSET"; }
/// <summary>DESCRIBE ASSET p.a [REVISION n [DIFF [FROM m]]]: the asset, one revision's schema, or the changes to it.</summary>
public sealed record DescribeAsset(AssetName Name, int? Revision = null, bool Diff = false, int? DiffFrom = null) : AdminStatement { public override string Tag => "DESCRIBE ASSET"; }
public sealed record ShowAssets(string Project) : AdminStatement { public override string Tag => "SHOW ASSETS"; }
public sealed record SearchCatalog(string Text) : AdminStatement { public override string Tag => "SEARCH CATALOG"; }

// ---- subscriptions ----
public sealed record RequestSubscription(AssetName Asset, string ConsumerProject, string Justification) : AdminStatement { public override string Tag => "REQUEST SUBSCRIPTION"; }
public sealed record ShowSubscriptionRequests : AdminStatement { public override string Tag => "SHOW SUBSCRIPTION REQUESTS"; }

/// <summary>
/// APPROVE SUBSCRIPTION n [WITH ROW FILTER (expr)] [INCLUDE COLUMNS (…) | EXCLUDE COLUMNS (…)]
/// [MASK COLUMNS (col USING kind[(args)], …)] [EXPIRES 'timestamp' | EXPIRES IN INTERVAL 'text'] [COMMENT '…'].
/// Clauses may come in any order, each at most once.
/// </summary>
public sealed record ApproveSubscription(long Id, SqlFragment? RowFilter, IReadOnlyList<string>? IncludeColumns,
    IReadOnlyList<string>? ExcludeColumns, IReadOnlyList<ColumnMask> Masks, string? ExpiresAt, string? ExpiresIn,
    string? Comment) : AdminStatement { public override string Tag => "APPROVE SUBSCRIPTION"; }
/// <summary>
/// APPROVE SUBSCRIPTION n ADD COLUMNS (c, …) [COMMENT '…']: the owner approves columns a later revision added for an
/// approved grant, which keeps its filter, masks and expiry (a grant shows only the columns its owner approved).
/// </summary>
public sealed record ApproveSubscriptionColumns(long Id, IReadOnlyList<string> Columns, string? Comment, IReadOnlyList<ColumnMask>? Masks = null) : AdminStatement
{
    public override string Tag => "APPROVE SUBSCRIPTION";
}
public sealed record RejectSubscription(long Id, string? Comment) : AdminStatement { public override string Tag => "REJECT SUBSCRIPTION"; }
public sealed record RevokeSubscription(long Id, string? Comment) : AdminStatement { public override string Tag => "REVOKE SUBSCRIPTION"; }
public sealed record ShowSubscriptions(string Project) : AdminStatement { public override string Tag => "SHOW SUBSCRIPTIONS"; }

/// <summary>SHOW EFFECTIVE POLICY FOR PROJECT consumer ON proj.asset: what the consumer's queries may read of the asset.</summary>
public sealed record ShowEffectivePolicy(string ConsumerProject, AssetName Asset) : AdminStatement { public override string Tag => "SHOW EFFECTIVE POLICY"; }

// ---- audit ----
/// <summary>SHOW AUDIT with its optional filters; the times stay text, evaluated by the server like EXPIRES.</summary>
public sealed record ShowAudit(int Limit, string? User = null, AssetName? Asset = null, string? Project = null, string? Since = null,
    string? Until = null) : AdminStatement { public override string Tag => "SHOW AUDIT"; }

/// <summary>EXPORT AUDIT [filters] [FORMAT CSV | PARQUET]: the records SHOW AUDIT would list, as a file through COPY OUT.</summary>
public sealed record ExportAudit(ShowAudit Filter, bool Parquet) : AdminStatement { public override string Tag => "EXPORT AUDIT"; }

/// <summary>A malformed admin statement: becomes 42601 with the position of the offending token.</summary>
public sealed class AdminSyntaxException(string message, int offset, string? hint = null) : Exception(message)
{
    /// <summary>0-based character offset of the offending token in the statement text.</summary>
    public int Offset { get; } = offset;

    /// <summary>What to do instead (the nearest command's HELP), when the parser knows.</summary>
    public string? Hint { get; } = hint;
}
