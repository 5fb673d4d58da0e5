using BenchmarkDotNet.Attributes;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Benchmarks.Stream;
using DataMesh.Gateway.Catalog.Model;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Server.Governance;

namespace DataMesh.Gateway.Benchmarks.Micro;

/// <summary>
/// What the checks of issue 14 add per statement, beside what a statement already costs (a cached plan):
/// membership (Auth/SessionMembership) pays a catalog-version compare per statement and a role lookup only after a
/// catalog change; workspace lineage (Lineage/WorkspaceLineageGuard) pays one lineage lookup in the catalog database
/// per plan that reads a workspace table.
/// </summary>
[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class SecurityCheckBenchmarks
{
    private string _dir = null!;
    private AdminCatalog _catalog = null!;
    private SqlParser _parser = null!;
    private GovernanceService _governance = null!;
    private ProjectAccess _access = null!;
    private long _version;
    private const string Sql = "SELECT sum(l_extendedprice) FROM bench.lineitem WHERE l_quantity < 24";
    private readonly RewriteOptions _options = new() { ShadowCatalog = true };

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "datamesh-security-bench-" + Guid.NewGuid().ToString("N"));
        var parquet = LineitemData.EnsureParquet(_dir, 10_000);
        _catalog = GatewayProcess.OpenCatalog(parquet, Path.Combine(_dir, "server"), 1);
        _parser = new SqlParser();
        _governance = new GovernanceService(_catalog.Catalog, _parser);
        _access = _governance.Open(GatewayProcess.ConsumerUser, GatewayProcess.ConsumerProject);
        _version = _catalog.Catalog.Snapshot.Version;
        _catalog.Catalog.Store.RecordLineage(GatewayProcess.ConsumerProject, "derived",
            [new LineageSource(1, "bench", "lineitem", "0123456789abcdef0123456789abcdef")], replace: true, DateTimeOffset.UtcNow);
        _governance.Plan(_access, Sql, _options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _parser.Dispose();
        _catalog.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Benchmark(Baseline = true, Description = "a cached plan (what every statement pays already)")]
    public object PlanCached() => _governance.Plan(_access, Sql, _options);

    [Benchmark(Description = "membership: catalog version compare (every statement)")]
    public bool MembershipVersionCompare() => _catalog.Catalog.Snapshot.Version == _version;

    [Benchmark(Description = "membership: role lookup (after a catalog change)")]
    public MemberRole? MembershipRoleLookup() => _catalog.Catalog.Snapshot.RoleIn(_access.User, _access.Project, _access.Identity.TokenGroups);

    [Benchmark(Description = "local files: real paths of the asset's directory and files (every prepare and execution)")]
    public void LocalFileRealPaths() => _governance.VerifyLocalFiles(_governance.Plan(_access, Sql, _options));

    [Benchmark(Description = "lineage: lookup of one workspace table (per plan reading it)")]
    public object? LineageLookup() => _catalog.Catalog.Store.Lineage(GatewayProcess.ConsumerProject, "derived");
}
