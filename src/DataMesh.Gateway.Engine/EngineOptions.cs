namespace DataMesh.Gateway.Engine;

/// <summary>How the DuckDB instance is configured before it is locked.</summary>
public sealed class EngineOptions
{
    /// <summary>Directories queries may read. Everything else is refused by DuckDB once external access is off.</summary>
    public IReadOnlyList<string> AllowedDirectories { get; init; } = [];

    /// <summary>Where the instance gets its private spill directory (a fresh subdirectory, removed on dispose); null disables spilling to disk.</summary>
    public string? TempDirectory { get; init; }

    public string MaxTempDirectorySize { get; init; } = "1GB";

    public string MemoryLimit { get; init; } = "4GB";

    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Trusted SQL run before lockdown, e.g. the demo's views over producer files.</summary>
    public IReadOnlyList<string> SetupStatements { get; init; } = [];
}
