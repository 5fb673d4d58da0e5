using DataMesh.Gateway.Engine.Instances;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Tests.Engine;

/// <summary>
/// Producer-like files in a fresh temp directory, written by a separate, unlocked DuckDB connection:
/// <c>a/</c> (two files), <c>b/secret.parquet</c> (a sibling no spec allows), <c>c/</c> (two files, for the
/// exact-file case) and an empty workspace database.
/// </summary>
public sealed class EngineFiles : IDisposable
{
    public EngineFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "datamesh-engine-" + Guid.NewGuid().ToString("N"));
        foreach (var dir in new[] { "a", "b", "c", "tmp" }) Directory.CreateDirectory(Path.Combine(Root, dir));
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Run(connection, $"COPY (SELECT range AS id, 'x' || range AS label FROM range(3)) TO '{A}/x.parquet' (FORMAT parquet)");
        Run(connection, $"COPY (SELECT range + 10 AS id, 'y' || range AS label FROM range(2)) TO '{A}/y.parquet' (FORMAT parquet)");
        Run(connection, $"COPY (SELECT 42 AS secret) TO '{B}/secret.parquet' (FORMAT parquet)");
        Run(connection, $"COPY (SELECT 7 AS f) TO '{C}/f.parquet' (FORMAT parquet)");
        Run(connection, $"COPY (SELECT 8 AS f) TO '{C}/g.parquet' (FORMAT parquet)");
    }

    public string Root { get; }
    public string A => Path.Combine(Root, "a");
    public string B => Path.Combine(Root, "b");
    public string C => Path.Combine(Root, "c");

    /// <summary>A new, empty workspace database file (DuckDB creates it on first attach).</summary>
    public string NewWorkspace()
    {
        var path = Path.Combine(Root, "ws-" + Guid.NewGuid().ToString("N") + ".duckdb");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Run(connection, $"ATTACH '{path}' AS w; CREATE TABLE w.existing AS SELECT 1 AS v; DETACH w");
        return path;
    }

    public static EngineSpec Spec(string key, string fingerprint = "f1", params string[] sources) => new()
    {
        Key = key,
        Fingerprint = fingerprint,
        AllowedSources = sources,
        MemoryLimit = "512MiB",
        Threads = 1,
    };

    private static void Run(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
