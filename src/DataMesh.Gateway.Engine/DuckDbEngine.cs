using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Instances;

namespace DataMesh.Gateway.Engine;

/// <summary>
/// One locked-down DuckDB instance for everything, configured from <see cref="EngineOptions"/>. It is built by the
/// same code as the per-project instances (<see cref="InstanceBuilder"/>), so there is one lockdown order. Sessions
/// are connections to it; dispose them before the engine.
/// </summary>
public sealed class DuckDbEngine : IDisposable
{
    private readonly EngineInstance _instance;

    private DuckDbEngine(EngineInstance instance) => _instance = instance;

    public static DuckDbEngine Open(EngineOptions options)
    {
        var spec = new EngineSpec
        {
            Key = "default",
            Fingerprint = "",
            // The trailing '/' makes each entry a directory even before it exists, as before.
            AllowedSources = options.AllowedDirectories.Select(d => SourceAllowList.WithSlash(Path.GetFullPath(d))).ToList(),
            TempDirectory = options.TempDirectory,
            MaxTempDirectorySize = options.MaxTempDirectorySize,
            MemoryLimit = options.MemoryLimit,
            Threads = options.Threads,
        };
        return new DuckDbEngine(InstanceBuilder.Build(spec, options.SetupStatements));
    }

    /// <summary>Opens a connection for one client session.</summary>
    public EngineSession OpenSession() => new(_instance.OpenConnection());

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public void Dispose() => _instance.Dispose();
}
