using System.Collections.Concurrent;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Server.Sessions;

namespace DataMesh.Gateway.Server.Engines;

/// <summary>
/// The projects' engine instances (an LRU pool, each instance built from its project's grants) and the one sequence
/// that attaches a session to its project's current instance: at sign-in, and again whenever the project's grants
/// changed (DuckDB's allow list and the shadow catalog must match them).
/// </summary>
public sealed class SessionEngines : IDisposable
{
    private readonly CatalogService _catalog;
    private readonly GovernanceService _governance;
    private readonly EngineDefaults _defaults;
    private readonly EngineInstances _instances;
    private readonly ConcurrentDictionary<string, (string GrantVersion, long PolicyStamp, EngineSpec Spec)> _specs = new(StringComparer.Ordinal);

    public SessionEngines(CatalogService catalog, GovernanceService governance, EngineDefaults? defaults = null)
    {
        _catalog = catalog;
        _governance = governance;
        _defaults = defaults ?? new EngineDefaults();
        _instances = new EngineInstances(Math.Max(1, _defaults.InstanceCapacity));
        _catalog.Published += PrebuildChangedInstances;
        // The first session's instance starts from a spare with the pg_catalog emulation built already.
        _instances.WarmSpares(SessionParameters.Definitions);
    }

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
                using var lease = _instances.Acquire(Spec(new ProjectAccess(AnyUser, project, null, IsHome: false)));
            }
            catch (Exception)
            {
                // A failed build is not cached: the next session that needs the instance builds it and sees the error.
            }
        }
    }

    // The spec depends on the project only (its grants before identity binding), never on who asks.
    private const string AnyUser = "";

    /// <summary>Emulations taken from a spare, built on demand, and instances patched from a project's standby.</summary>
    public (long FromSpare, long OnDemand, long FromStandby) Builds =>
        (_instances.TemplateUse.FromSpare, _instances.TemplateUse.OnDemand, _instances.FromStandby);

    /// <summary>The engine instance the project's grants call for now (its fingerprint changes with them).</summary>
    public EngineSpec Spec(ProjectAccess access)
    {
        var snapshot = _catalog.Snapshot;
        var grants = _governance.ProjectGrants(snapshot, access.Project);
        var stamp = snapshot.PolicyStamp(access.Project);
        if (_specs.TryGetValue(access.Project, out var cached) && cached.GrantVersion == grants.Fingerprint && cached.PolicyStamp == stamp)
            return cached.Spec;
        var spec = EngineSpecs.For(snapshot, grants, access, _defaults);
        _specs[access.Project] = (grants.Fingerprint, stamp, spec);
        return spec;
    }

    /// <summary>A connection to the project's current instance (built, or rebuilt when its grants changed).</summary>
    public EngineSession Open(EngineSpec spec)
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

    /// <summary>
    /// A connection of its own for one of the session's SQL cursors, on the project's current instance, introduced as
    /// the session (identity, settings, search path): DuckDB ends a connection's streaming result when that connection
    /// runs anything else, so a cursor cannot share the session's connection with the statements between its FETCHes.
    /// </summary>
    public EngineSession OpenForCursor(Session session)
    {
        var engine = Open(Spec(session.Access));
        try
        {
            session.Introduce(engine, _governance.DatabasesOf(session.Access));
            return engine;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Attaches a session to <paramref name="engine"/>, a connection to the instance of <paramref name="spec"/>: the
    /// engine learns who the session is and its settings, statements prepared on the old connection are released,
    /// and the rewrite options and the project's statement timeout follow the instance. The caller owns the engine
    /// until this returns.
    /// </summary>
    public void Attach(Session session, EngineSession engine, EngineSpec spec)
    {
        session.Introduce(engine, _governance.DatabasesOf(session.Access));
        session.SwapEngine(engine, spec.Fingerprint);
        session.RewriteOptions = OptionsFor(engine);
        session.ProjectStatementTimeout = EngineSpecs.StatementTimeout(_catalog.Snapshot, session.Access.Project);
    }

    /// <summary>
    /// Moves the session to its project's current instance when the grants changed, unless a portal is still
    /// streaming on the old one (it moves at a later statement).
    /// </summary>
    public void Follow(Session session)
    {
        var spec = Spec(session.Access);
        if (spec.Fingerprint == session.EngineFingerprint || session.HasOpenCursor) return;
        var engine = Open(spec);
        try
        {
            Attach(session, engine, spec);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>What the project's instance offers the rewrite: always its shadow catalog, and its workspace if attached.</summary>
    public static RewriteOptions OptionsFor(EngineSession engine) =>
        new() { ShadowCatalog = true, Workspace = engine.Workspace != WorkspaceAccess.None };

    public void Dispose() => _instances.Dispose();
}
