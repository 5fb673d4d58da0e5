using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Catalog.Snapshots;
using DataMesh.Gateway.Policy;
using DataMesh.Gateway.Policy.Planning;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Identity;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Policy.Rewrite.Constants;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// The server's door to the policy layer: maps a session's database to its project (refusing non-members at
/// startup), and turns a consumer statement into the engine's governed SQL (cached), translating policy refusals
/// into PostgreSQL errors. It reads only catalog snapshots.
/// </summary>
public sealed class GovernanceService
{
    /// <summary>The domain's home database: any authenticated user may connect; it holds no assets.</summary>
    public const string HomeDatabase = "postgres";

    private readonly CatalogService _catalog;
    private readonly GrantSetCache _grants;
    private readonly RewriteCache _rewrites;
    private readonly SqlParser _parser;
    private readonly SqlSyntax _syntax;
    private readonly TimeProvider _time;

    /// <param name="parser">DuckDB's parser (json_serialize_sql) and its casts, on private connections.</param>
    /// <param name="objects">Reads of assets on object stores (their cached files); null: the gateway has no object storage.</param>
    public GovernanceService(CatalogService catalog, SqlParser parser, TimeProvider? time = null, int rewriteCacheCapacity = 8192,
        ObjectReads? objects = null)
    {
        _parser = parser;
        _syntax = new SqlSyntax(parser.Serialize, parser.CanCast);
        _catalog = catalog;
        _time = time ?? TimeProvider.System;
        Objects = objects;
        _grants = new GrantSetCache(parser.Serialize, _time, objects is null ? null : objects.FilesOf);
        _rewrites = new RewriteCache(rewriteCacheCapacity);
    }

    /// <summary>The project's grants in a snapshot (own assets plus approved, unexpired subscriptions), before binding
    /// to a caller: what its engine instance is built from.</summary>
    public GrantSet ProjectGrants(CatalogSnapshot snapshot, string project) => _grants.For(snapshot, project);

    /// <summary>Fetches and holds the cached objects a plan's grants on object stores read (null: none configured).</summary>
    public ObjectReads? Objects { get; }

    /// <summary>The engine's error for a query that does not bind over the shadow tables (it would not bind when it
    /// runs either), phrased as the error of the query itself.</summary>
    private static PgErrorException BindError(string type, string message, RewriteResult plan) =>
        GovernedErrors.Translate(EngineErrors.FromSerializedError(type, message), plan);

    /// <summary>Checks the real paths of the local files a plan reads, before the engine opens them (42501 for a link
    /// that leads outside the asset's project prefix).</summary>
    public void VerifyLocalFiles(RewriteResult plan) => LocalFileCheck.Verify(_catalog.Snapshot, plan);

    public long RewriteCacheHits => _rewrites.Hits;
    public long RewriteCacheMisses => _rewrites.Misses;

    /// <summary>Startup: the database must be the home database or a project the user belongs to (directly or
    /// through a group). FATAL 3D000 for an unknown database, FATAL 42501 for a non-member.</summary>
    public ProjectAccess Open(string user, string database) => Open(CallerIdentity.Local(user), database);

    /// <summary>As <see cref="Open(string, string)"/>, with the groups of the caller's identity token counting for membership.</summary>
    public ProjectAccess Open(CallerIdentity identity, string database)
    {
        var user = identity.UserName;
        if (database == HomeDatabase) return new ProjectAccess(user, HomeDatabase, null, IsHome: true) { Identity = identity };
        // Answered from the snapshot's index, never by reading the store: a made-up name costs a lookup. A project another
        // process just created appears when the catalog follows the change log.
        var snapshot = _catalog.Snapshot;
        if (snapshot.Project(database) is null)
            throw PgErrorException.Fatal(SqlState.InvalidCatalogName, $"database \"{database}\" does not exist");
        var role = snapshot.RoleIn(user, database, identity.TokenGroups);
        if (role is null)
            throw new PgErrorException(SqlState.InsufficientPrivilege, $"permission denied for database \"{database}\"",
                PgErrorSeverity.Fatal, detail: $"User \"{user}\" is not a member of project \"{database}\".",
                hint: $"Ask an owner of the project to run: ADD MEMBER {user} TO PROJECT {database} AS VIEWER; or connect to database \"{HomeDatabase}\".");
        return new ProjectAccess(user, database, role, IsHome: false) { Identity = identity };
    }

    /// <summary>The databases the caller may connect to (pg_database): the home database and their projects, counting the
    /// groups of their identity token.</summary>
    public IReadOnlyList<string> DatabasesOf(ProjectAccess access)
    {
        // From the principal → projects index: a scan of every project's members cost milliseconds per session start.
        return [HomeDatabase, .. _catalog.Snapshot.ProjectsOf(access.User, access.Identity.TokenGroups)];
    }

    /// <summary>
    /// The session's grants now (own assets plus approved, unexpired subscriptions), with identity functions in row
    /// filters bound to the session's caller. Their fingerprint, which keys the rewrite cache, includes the bound values.
    /// </summary>
    public GrantSet Grants(ProjectAccess access)
    {
        var snapshot = _catalog.Snapshot;
        var grants = _grants.For(snapshot, access.Project);
        if (!grants.DependsOnIdentity) return grants;
        // Binding hashes the grants again: keep the session's last binding while the project's grants are the same set
        // and the user's groups (which identity filters may read) are unchanged.
        var userStamp = snapshot.UserStamp(access.User);
        var last = _bindings.GetOrCreateValue(access);
        var cached = Volatile.Read(ref last.Value);
        if (cached is { } c && ReferenceEquals(c.Base, grants) && c.UserStamp == userStamp) return c.Bound;
        var bound = grants.BindTo(access.Identity);
        Volatile.Write(ref last.Value, new Binding(grants, userStamp, bound));
        return bound;
    }

    private sealed record Binding(GrantSet Base, long UserStamp, GrantSet Bound);

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ProjectAccess, System.Runtime.CompilerServices.StrongBox<Binding?>> _bindings = new();

    /// <summary>The governed engine SQL for one consumer statement, from the cache when the policy is unchanged.</summary>
    /// <param name="engine">The session's engine, whose instance evaluates the query's constants while planning (a cached
    /// plan was evaluated on an instance of the same project and policy version).</param>
    public RewriteResult Plan(ProjectAccess access, string sql, RewriteOptions options, EngineSession? engine = null)
    {
        var grants = Grants(access);
        var constants = engine is null ? null : new SessionConstants(engine, _parser);
        return _rewrites.GetOrAdd(sql, access.Project, grants.Fingerprint, options, () => Rewrite(grants, sql, options, constants));
    }

    /// <summary>True while the grants an open portal read from are unchanged; a revoked or expired grant is not.</summary>
    public bool StillAllows(ProjectAccess access, RewriteResult plan)
    {
        var grants = Grants(access);
        return grants.Fingerprint == plan.PolicyVersion
            || plan.Grants.All(used => grants.Find(used.Project, used.Asset) is { } current && SameGrant(current, used));
    }

    private static bool SameGrant(AssetGrant a, AssetGrant b) =>
        a.SourcePath == b.SourcePath && a.ReadPaths.SequenceEqual(b.ReadPaths) && a.QualifiedRowFilter == b.QualifiedRowFilter && a.Columns.SequenceEqual(b.Columns)
        && a.SubscriptionIds.SequenceEqual(b.SubscriptionIds);

    /// <summary>A project's grants in another picture of the catalog (an approval's preview), not cached.</summary>
    internal GrantSet GrantsFor(Catalog.Snapshots.CatalogSnapshot snapshot, string project) =>
        GrantSet.For(snapshot, project, _time.GetUtcNow(), _parser.Serialize, Objects is null ? null : Objects.FilesOf);

    /// <summary>The governed engine SQL for a statement under given grants, not cached (an approval's preview: fixed
    /// statements without constants to evaluate).</summary>
    internal RewriteResult PlanWith(GrantSet grants, string sql, RewriteOptions options) => Rewrite(grants, sql, options, constants: null);

    /// <summary>A plan by the one entry point of governance; its refusals as PostgreSQL errors (positions 1-based).</summary>
    private RewriteResult Rewrite(GrantSet grants, string sql, RewriteOptions options, IConstantEvaluator? constants)
    {
        try
        {
            return QueryPlanner.Plan(sql, grants, _syntax, options, constants, BindError);
        }
        catch (PolicyException e)
        {
            throw new PgErrorException(e.SqlState, e.Message, hint: e.Hint, position: e.Position is { } p ? p + 1 : 0);
        }
    }
}
