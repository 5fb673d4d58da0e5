using System.Diagnostics;
using System.Net;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Benchmarks.Governed;
using DataMesh.Gateway.Benchmarks.Stream;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Policy.Rewrite;
using DataMesh.Gateway.Server.Engines;
using DataMesh.Gateway.Server.Governance;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// What every comparison needs: the gateway in a child process of its own (as in production), a planner over the
/// same catalog in this process (the same code and snapshot as the server's, so the same rewritten SQL), the
/// in-process DuckDB baseline configured from the consumer's EngineSpec, and PostgreSQL with RLS when given.
/// </summary>
public sealed class CompareContext : IDisposable
{
    private readonly Process _gatewayProcess;
    private readonly AdminCatalog _catalog;
    private readonly SqlParser _parser = new();
    private readonly GovernanceService _governance;
    private readonly SessionEngines _engines;
    private readonly ProjectAccess _access;
    private static readonly RewriteOptions PlanOptions = new() { ShadowCatalog = true };

    public IPEndPoint Gateway { get; }
    public InProcessInstance InProcess { get; }
    public string? PostgresConsumer { get; }
    public string? PostgresTable { get; }
    public string Parquet { get; }
    public long Rows { get; }

    public CompareContext(CompareOptions options)
    {
        Rows = options.Rows;
        Parquet = LineitemData.EnsureParquet(options.DataDir, options.Rows);
        var serverDir = GatewayProcess.ServerDir(options.DataDir, Parquet, "server-compare");
        _catalog = GatewayProcess.OpenCatalog(Parquet, serverDir, options.Threads);
        _governance = new GovernanceService(_catalog.Catalog, _parser);
        _engines = new SessionEngines(_catalog.Catalog, _governance, new EngineDefaults { Threads = options.Threads, MemoryLimit = "8GB" });
        _access = _governance.Open(GatewayProcess.ConsumerUser, GatewayProcess.ConsumerProject);
        InProcess = new InProcessInstance(_engines.Spec(_access));
        (_gatewayProcess, Gateway) = GatewayProcess.Spawn(Parquet, serverDir, options.Threads);
        if (options.Postgres is { } pg)
        {
            PostgresTable = PostgresRls.Prepare(pg, Parquet, options.Rows);
            PostgresConsumer = PostgresRls.ConsumerConnectionString(pg);
        }
    }

    public string GatewayConsumer() => GatewayProcess.ConsumerConnectionString(Gateway.Port);

    public NpgsqlConnection OpenGateway()
    {
        var connection = new NpgsqlConnection(GatewayConsumer());
        connection.Open();
        return connection;
    }

    public NpgsqlConnection? OpenPostgres()
    {
        if (PostgresConsumer is null) return null;
        var connection = new NpgsqlConnection(PostgresConsumer);
        connection.Open();
        return connection;
    }

    public RewriteResult Plan(string sql) => _governance.Plan(_access, sql, PlanOptions);

    public void Dispose()
    {
        try
        {
            GatewayProcess.Stop(_gatewayProcess, TimeSpan.FromSeconds(15));
        }
        finally
        {
            InProcess.Dispose();
            _engines.Dispose();
            _parser.Dispose();
            _catalog.Dispose();
        }
    }
}
