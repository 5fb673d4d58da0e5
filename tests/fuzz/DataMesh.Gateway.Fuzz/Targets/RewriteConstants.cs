using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Rewrite.Constants;
using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Server.Governance;

namespace DataMesh.Gateway.Fuzz.Targets;

/// <summary>
/// The constant evaluator the rewrite target plans with: the server's own (<see cref="SessionConstants"/>) on a real,
/// locked-down project instance whose shadow tables are the grants' visible columns, as the server builds them, so
/// that the constant checks and the bound-cast checks (ConstantFolding) are fuzzed with the rest of planning. Bounded:
/// one thread, a small memory limit, and each evaluation interrupted after <see cref="Limit"/>, as a statement timeout
/// interrupts it in the server; the engine's error (57014, or any other the constants raise) is the query's error.
/// </summary>
public sealed class RewriteConstants : IConstantEvaluator, IDisposable
{
    public static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(250);

    private readonly EngineInstances _pool = new(capacity: 1, spares: 0);
    private readonly EngineLease _lease;
    private readonly EngineSession _session;
    private readonly SessionConstants _constants;

    public RewriteConstants(GrantSet grants, SqlParser parser)
    {
        ArgumentNullException.ThrowIfNull(grants);
        var tables = grants.All.Select((g, i) => new ShadowTable(g.Project, g.Asset, 16384 + i, null,
            g.Columns.Select(c => new ShadowColumn(c.Name, c.VisibleType, null)).ToList())).ToList();
        var schemas = tables.Select(t => t.Schema).Distinct(StringComparer.Ordinal)
            .Select((s, i) => (s, 20000 + i)).ToDictionary(p => p.s, p => p.Item2, StringComparer.Ordinal);
        var spec = new EngineSpec
        {
            Key = RewriteCatalog.Consumer, Fingerprint = "fuzz", ShadowTables = tables, SchemaOids = schemas,
            MemoryLimit = "256MB", Threads = 1,
        };
        _lease = _pool.Acquire(spec);
        _session = _lease.OpenSession();
        _constants = new SessionConstants(_session, parser);
    }

    public void Run(string serializedSelect) => Bounded(() => _constants.Run(serializedSelect));

    public string Print(string serializedSelect) => _constants.Print(serializedSelect);

    public string Serialize(string sql) => _constants.Serialize(sql);

    public string SerializePlan(string sql) => Bounded(() => _constants.SerializePlan(sql));

    private void Bounded(Action run) => Bounded(() =>
    {
        run();
        return 0;
    });

    private T Bounded<T>(Func<T> run)
    {
        using var deadline = new Timer(_ => _session.Constants.Interrupt(), null, Limit, Timeout.InfiniteTimeSpan);
        try
        {
            return run();
        }
        catch (PgErrorException e)
        {
            throw new ConstantError(e);
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _lease.Dispose();
        _pool.Dispose();
    }
}

/// <summary>The engine's error while evaluating a query's constants: the query's own error, as the client would get it
/// (only errors from the evaluator are this; any other engine error while planning is still a finding).</summary>
public sealed class ConstantError(PgErrorException error) : Exception(error.Message, error)
{
    public PgErrorException Error { get; } = error;
}
