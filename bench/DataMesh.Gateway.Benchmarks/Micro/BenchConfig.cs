using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace DataMesh.Gateway.Benchmarks.Micro;

/// <summary>
/// Short in-process job: no separate build of the benchmark project (the src tree may be mid-edit), three warmups and
/// five measured iterations, memory diagnoser on.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithLaunchCount(1)
            .WithId("ShortInProc"));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
