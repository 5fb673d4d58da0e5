using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Policy;
using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Identity;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Policy.Rewrite.Constants;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Server.Governance;

/// <summary>
/// The server's door to the policy layer: maps a session's database to its project (refusing non-members at
/// startup), and turns a consumer statement into the engine's governed SQL (cached), translating policy refusals
/// into PostgreSQL errors. It reads only catalog snapshots.
/// </summary>
public sealed class GovernanceService : IDisposable
{
    /// <summary>The domain's home database: any authenticated user may connect; it holds no assets.</summary>
    public const string HomeDatabase = "postgres";

    private readonly CatalogService _catalog;
    private readonly GrantSetCache _grants;
    private readonly RewriteCache _rewrites;
    private readonly EngineDefaults _engineDefaults;
    private readonly EngineInstances _instances;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string GrantVersion, long PolicyStamp, EngineSpec Spec)> _specs = new(StringComparer.Ordinal);

    private readonly SqlParser _parser;
    private readonly TimeProvider _time;

    /// <param name="parser">DuckDB's parser (json_serialize_sql) and its casts, on private connections.</param>
    /// <param name="objects">Reads of assets on object stores (their cached files); null: the gateway has no object storage.</param>
    public GovernanceService(CatalogService catalog, SqlParser parser, EngineDefaults? engineDefaults = null,
        TimeProvider? time = null, int rewriteCacheCapacity = 8192, ObjectReads? objects = null)
    {
        _parser = parser;
        _catalog = catalog;
        _time = time ?? TimeProvider.System;
        Objects = objects;
        _grants = new GrantSetCache(parser.Serialize, _time, objects is null ? null : objects.FilesOf);
        _rewrites = new RewriteCache(rewriteCacheCapacity);
        _engineDefaults = engineDefaults ?? new EngineDefaults();
        _instances = new EngineInstances(Math.Max(1, _engineDefaults.InstanceCapacity));
        _catalog.Published += PrebuildChangedInstances;
        // The first session's instance starts from a spare with the pg_catalog emulation built already.
        _instances.WarmSpares(Sessions.SessionParameters.Definitions);
    }

    /// <summary>Fetches and holds the cached objects a plan's grants on object stores read (null: none configured).</summary>
    public ObjectReads? Objects { get; }

    /// <summary>
    /// After a change to a project's grants, its pooled instance (if it has one: a project sessions use) is rebuilt in
    /// the background, so the sessions that follow the change, and the next new session, find it built. One worker
    /// builds them one at a time, each project once for however many changes arrived while it waited: under a stream
    /// of admin changes, a build per change on a thread each took every core from the queries (the soak's consumers
    /// fell from 6 to under 1 operation per second).
    /// </summary>
    private void PrebuildChangedInstances(Catalog.Snapshots.SnapshotUpdate update)
    {
        var projects = _instances.Keys.Where(k => update.Reloaded || update.PolicyChanged.Contains(k)).ToList();
        if (projects.Count == 0) return;
        lock (_prebuildGate)
        {
            foreach (var project in projects) _prebuildPending.Add(project);
            if (_prebuildRunning) return;
            _prebuildRunning = true;
        }
        _ = Task.Run(PrebuildPending);
    }

    private readonly Lock _prebuildGate = new();
    private readonly HashSet<string> _prebuildPending = new(StringComparer.Ordinal);
    private bool _prebuildRunning;

    private void PrebuildPending()
    {
        while (true)
        {
            string project;
            lock (_prebuildGate)
            {
                if (_prebuildPending.Count == 0)
                {
                    _prebuildRunning = false;
                    return;
                }
                project = _prebuildPending.First();
                _prebuildPending.Remove(project);
            }
            try
            {
                // The catalog as it is now: changes that arrived while this project waited are in it.
                if (_catalog.Snapshot.Project(project) is null) continue;
                using var lease = _instances.Acquire(EngineSpec(new ProjectAccess(GovernanceServiceUser, project, null, IsHome: false)));
            }
            catch (Exception)
            {
                // A failed build is not cached: the next session that needs the instance builds it and sees the error.
            }
        }
    }

    // The spec depends on the project only (its grants before identity binding), never on who asks.
    private const string GovernanceServiceUser = "";

    /// <summary>Checks the real paths of the local files a plan reads, before the engine opens them (42501 for a link
    /// that leads outside the asset's project prefix).</summary>
    public void VerifyLocalFiles(RewriteResult plan) => LocalFileCheck.Verify(_catalog.Snapshot, plan);

    /// <summary>The engine instance the project's grants call for now (its fingerprint changes with them).</summary>
    public EngineSpec EngineSpec(ProjectAccess access)
    {
        var snapshot = _catalog.Snapshot;
        var grants = _grants.For(snapshot, access.Project);
        var stamp = snapshot.PolicyStamp(access.Project);
        if (_specs.TryGetValue(access.Project, out var cached) && cached.GrantVersion == grants.Fingerprint && cached.PolicyStamp == stamp)
            return cached.Spec;
        var spec = EngineSpecs.For(snapshot, grants, access, _engineDefaults);
        _specs[access.Project] = (grants.Fingerprint, stamp, spec);
        return spec;
    }

    /// <summary>A connection to the project's current instance (built, or rebuilt when its grants changed).</summary>
    public EngineSession OpenEngine(EngineSpec spec)
    {
        using var lease = _instances.Acquire(spec);
        var session = lease.OpenSession();
        try
        {
            // Unqualified names as the policy resolves them: metadata first, then own assets, then subscribed ones.
            // The engine only needs this to name result columns from the user's own text (never to read data).
            var schemas = spec.SchemaOids.Keys.OrderBy(s => s == spec.Key ? 0 : 1).ThenBy(s => s, StringComparer.Ordinal);
            session.SetSearchPath(new[] { "main" }.Concat(schemas));
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The project's statement timeout from its query_limits blueprint (zero: none).</summary>
    public TimeSpan ProjectStatementTimeout(ProjectAccess access) => EngineSpecs.StatementTimeout(_catalog.Snapshot, access.Project);

    /// <summary>What the project's instance offers the rewrite: always its shadow catalog, and its workspace if attached.</summary>
    public static RewriteOptions OptionsFor(EngineSession engine) =>
        new() { ShadowCatalog = true, Workspace = engine.Workspace != WorkspaceAccess.None };

    public void Dispose() => _instances.Dispose();

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

    private RewriteResult Rewrite(GrantSet grants, string sql, RewriteOptions options, IConstantEvaluator? constants)
    {
        try
        {
            // PostgreSQL catalog spellings (pg_catalog.x, OPERATOR(…), ::regclass) become the emulation's, first:
            // everything after this governs, and the engine runs, the translated text.
            sql = PgDialect.Translate(QualifiedStars.Shorten(DuckDbKeywordNames.Quote(sql)));
            NumericLiterals.Check(sql);
            var parsed = SqlAst.Parse(_parser.Serialize(sql), sql);
            // Too deep or too big to plan in bounded time: refused before DuckDB's planner sees it.
            QueryComplexity.Check(parsed);
            // Functions pass through an allow list before anything else: a refused one never reaches the engine.
            if (FunctionPolicy.Default.Refusals(parsed) is [var refused, ..])
                throw new PgErrorException(SqlState.InsufficientPrivilege, refused.Describe());
            LiteralCasts.Check(parsed, grants, _parser.CanCast);
            // Constants are evaluated now, before any data is touched: their errors cannot depend on file statistics.
            var plan = constants is null ? ConstantPlan.None : ConstantFolding.Check(parsed, constants);
            var barrier = BarrierPolicy.Requires(parsed, grants);
            var result = QueryRewriter.Rewrite(parsed, grants, _parser.Serialize, _catalog.Snapshot.MaskSecret, barrier, options);
            if (plan.SessionCalls.Count > 0 && result.Grants.Any(g => g.QualifiedRowFilter is not null))
            {
                // Session and clock values cannot be planned once; evaluated per row, they only meet rows the filter let through.
                var wrapped = PerRowCalls.Wrap(sql, plan.SessionCalls, _parser.Serialize);
                result = QueryRewriter.Rewrite(SqlAst.Parse(_parser.Serialize(wrapped), wrapped), grants, _parser.Serialize,
                    _catalog.Snapshot.MaskSecret, barrier: true, options);
            }
            // Casts DuckDB's binder puts over constants (item_id + 0 = lower('X')), read from its plan over the shadow tables.
            if (constants is not null && result.Grants.Count > 0)
                plan = ConstantFolding.CheckBoundCasts(parsed, plan, constants, (type, message) => BindError(type, message, result));
            return result with
            {
                Constants = plan, ColumnSources = Sql.Ast.SelectColumnSources.Read(parsed.Json), ColumnNames = Sql.Ast.PgColumnNaming.Names(parsed.Json, sql),
            };
        }
        catch (PolicyException e)
        {
            throw new PgErrorException(e.SqlState, e.Message, hint: e.Hint, position: e.Position is { } p ? p + 1 : 0);
        }
        catch (SqlAstException e) when (e.ErrorType is "not implemented" or "Not implemented" or "NOT_IMPLEMENTED")
        {
            throw new PgErrorException(SqlState.InsufficientPrivilege, "only queries (SELECT, WITH, VALUES, set operations) are allowed through the gateway");
        }
        catch (SqlAstException e) when (e.ErrorType is { Length: > 0 })
        {
            // DuckDB's own parse error on the user's text: the message is about their query, positions are theirs.
            throw new PgErrorException(SqlState.SyntaxError, FirstLine(e.Message), position: e.Position is { } p ? p + 1 : 0);
        }
        catch (SqlAstException e)
        {
            throw new PgErrorException(SqlState.InsufficientPrivilege, "the query could not be governed: " + FirstLine(e.Message));
        }
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();

    /// <summary>The engine's error for a query that does not bind over the shadow tables (it would not bind when it
    /// runs either), phrased as the error of the query itself.</summary>
    private static PgErrorException BindError(string type, string message, RewriteResult plan) =>
        GovernedErrors.Translate(EngineErrors.FromSerializedError(type, message), plan);
}
