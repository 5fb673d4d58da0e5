namespace DataMesh.Gateway.Server.Engines;

/// <summary>Engine settings for projects whose profile has no query_limits blueprint, and the instance pool's size.</summary>
public sealed record EngineDefaults
{
    public string MemoryLimit { get; init; } = "4GB";
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Parent of the instances' private spill directories; null disables spilling.</summary>
    public string? TempDirectory { get; init; }

    public string MaxTempDirectorySize { get; init; } = "1GB";

    /// <summary>At most this many idle instances are kept (least recently used are closed first).</summary>
    public int InstanceCapacity { get; init; } = 32;
}
