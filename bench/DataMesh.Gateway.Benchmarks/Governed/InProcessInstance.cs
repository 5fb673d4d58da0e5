using System.Data;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Instances;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Benchmarks.Governed;

/// <summary>
/// A DuckDB.NET connection configured like the project's gateway instance (the same <see cref="EngineSpec"/>: threads,
/// memory limit, allowed sources, external access off, configuration locked), with no server, protocol or rewrite in
/// between: the in-process baseline for the same rewritten SQL.
/// </summary>
public sealed class InProcessInstance : IDisposable
{
    private readonly DuckDBConnection _connection;

    public InProcessInstance(EngineSpec spec)
    {
        _connection = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        _connection.Open();
        Run($"SET allowed_paths = [{string.Join(", ", spec.AllowedSources.Select(DuckDbEngine.Literal))}]");
        Run($"SET memory_limit = {DuckDbEngine.Literal(spec.MemoryLimit)}");
        Run($"SET threads = {Math.Max(1, spec.Threads)}");
        Run("SET temp_directory = ''");
        Run("SET enable_external_access = false");
        Run("SET lock_configuration = true");
    }

    /// <summary>Runs the query to the end, reading every value; returns its row count and checksum.</summary>
    public (long Rows, decimal Checksum) Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.UseStreamingMode = true;
        using var reader = cmd.ExecuteReader();
        return ResultChecksum.Of(reader);
    }

    private void Run(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
