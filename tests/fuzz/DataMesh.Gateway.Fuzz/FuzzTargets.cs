using DataMesh.Gateway.Fuzz.Targets;

namespace DataMesh.Gateway.Fuzz;

/// <summary>
/// One fuzz target: runs one input and returns normally when the code under test behaved, whatever the input. The
/// crash oracle is "any exception escapes": each target catches exactly the error types its code documents for bad
/// input, and throws <see cref="FuzzInvariantException"/> when a result breaks a property that must always hold.
/// </summary>
public interface IFuzzTarget : IDisposable
{
    void Run(ReadOnlySpan<byte> input);
}

public static class FuzzTargets
{
    public static readonly string[] Names = ["protocol", "admin", "rewrite"];

    public static IFuzzTarget? Find(string name) => name switch
    {
        "protocol" => new ProtocolTarget(),
        "admin" => new AdminSqlTarget(),
        "rewrite" => new RewriteTarget(),
        _ => null,
    };
}

/// <summary>A result broke a property of the code under test: reported to the fuzzer as a crash.</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
