using BenchmarkDotNet.Attributes;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Benchmarks.Stream;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Policy.Functions;
using DataMesh.Gateway.Policy.Grants;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Server.Governance;
using DataMesh.Gateway.Sql.Ast;

namespace DataMesh.Gateway.Benchmarks.Micro;

/// <summary>
/// What planning one consumer statement costs: <see cref="GovernanceService.Plan"/> on a cache miss (parse, function
/// allow list, literal casts, leak-proofness, rewrite, re-parse to verify) and on a hit, each step alone, and the raw
/// json_serialize_sql round trip for reference. The consumer is the governed harness's (<c>bench_consumer</c>: row
/// filter and column filter on <c>bench.lineitem</c>), over a 10k-row file in a temporary directory.
/// </summary>
[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class RewriteBenchmarks
{
    /// <summary>Q6: typed literals, a product (fenced). Grouped: string literals compared with DATE columns (two
    /// planning-time casts), GROUP BY and ORDER BY, leak-proof (unfenced).</summary>
    public enum Shape { Q6, Grouped }

    private static readonly Dictionary<Shape, string> Texts = new()
    {
        [Shape.Q6] = "SELECT sum(l_extendedprice * l_discount) AS revenue FROM bench.lineitem WHERE l_shipdate >= DATE '1994-01-01' "
            + "AND l_shipdate < DATE '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < {0}",
        [Shape.Grouped] = "SELECT l_returnflag, l_linestatus, sum(l_extendedprice) AS price, count(*) AS n FROM bench.lineitem "
            + "WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' AND l_quantity < {0} "
            + "GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus",
    };

    private string _dir = null!;
    private AdminCatalog _catalog = null!;
    private SqlParser _parser = null!;
    private GovernanceService _governance = null!;
    private ProjectAccess _access = null!;
    private RewriteOptions _options = null!;
    private GrantSet _grants = null!;
    private string _sql = null!;
    private string _json = null!;
    private ParsedQuery _parsed = null!;
    private bool _barrier;
    private int _literal = 24;
    private EngineInstances _instances = null!;
    private EngineLease _lease = null!;
    private EngineSession _session = null!;

    [Params(Shape.Q6, Shape.Grouped)]
    public Shape Query { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "datamesh-rewrite-bench-" + Guid.NewGuid().ToString("N"));
        var parquet = LineitemData.EnsureParquet(_dir, 10_000);
        _catalog = GatewayProcess.OpenCatalog(parquet, Path.Combine(_dir, "server"), 1);
        _parser = new SqlParser();
        _governance = new GovernanceService(_catalog.Catalog, _parser);
        _access = _governance.Open(GatewayProcess.ConsumerUser, GatewayProcess.ConsumerProject);
        _options = new RewriteOptions { ShadowCatalog = true }; // the bench project has no workspace
        _grants = _governance.Grants(_access);
        _sql = Text(24);
        _json = _parser.Serialize(_sql);
        _parsed = SqlAst.Parse(_json, _sql);
        _barrier = BarrierPolicy.Requires(_parsed, _grants);
        _governance.Plan(_access, _sql, _options); // primes the cache for PlanCached
        // The consumer's instance as the server builds it (its grants' shadow tables), for the constant checks.
        var tables = _grants.All.Select((g, i) => new ShadowTable(g.Project, g.Asset, 16384 + i, null,
            g.Columns.Select(c => new ShadowColumn(c.Name, c.VisibleType, null)).ToList())).ToList();
        _instances = new EngineInstances(capacity: 1, spares: 0);
        _lease = _instances.Acquire(new EngineSpec
        {
            Key = GatewayProcess.ConsumerProject, Fingerprint = "bench", ShadowTables = tables, Threads = 1,
            SchemaOids = tables.Select(t => t.Schema).Distinct().Select((s, i) => (s, 20000 + i)).ToDictionary(p => p.s, p => p.Item2),
        });
        _session = _lease.OpenSession();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _lease.Dispose();
        _instances.Dispose();
        _parser.Dispose();
        _catalog.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string Text(int literal) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Texts[Query], literal);

    /// <summary>The full planning path on a miss: every call sends a new text (a new literal), as distinct queries do.</summary>
    [Benchmark]
    public RewriteResult PlanUncached() => _governance.Plan(_access, Text(++_literal), _options);

    /// <summary>A miss as the server plans it for a session: the constants evaluated and the binder's casts over them
    /// checked on the session's instance (ConstantFolding), then the column sources and names.</summary>
    [Benchmark]
    public RewriteResult PlanUncachedWithConstants() => _governance.Plan(_access, Text(++_literal), _options, _session);

    [Benchmark]
    public RewriteResult PlanCached() => _governance.Plan(_access, _sql, _options);

    /// <summary>DuckDB's json_serialize_sql on a parser connection: the reference cost of one parse.</summary>
    [Benchmark]
    public string ParseJsonSerializeSql() => _parser.Serialize(_sql);

    /// <summary>The AST from json_serialize_sql's output (C# side only).</summary>
    [Benchmark]
    public ParsedQuery AstFromJson() => SqlAst.Parse(_json, _sql);

    [Benchmark]
    public int FunctionAllowList() => FunctionPolicy.Default.Refusals(_parsed).Count;

    [Benchmark]
    public ParsedQuery LiteralCastCheck()
    {
        LiteralCasts.Check(_parsed, _grants, _parser.CanCast);
        return _parsed;
    }

    [Benchmark]
    public bool LeakProofnessClassify() => BarrierPolicy.Requires(_parsed, _grants);

    /// <summary>The splice and its verification (a second json_serialize_sql of the rewritten text).</summary>
    [Benchmark]
    public RewriteResult RewriteAndVerify() => QueryRewriter.Rewrite(_parsed, _grants, _parser.Serialize, _catalog.Catalog.Snapshot.MaskSecret, _barrier, _options);
}
