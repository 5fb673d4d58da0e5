using DataMesh.Gateway.Fuzz;
using SharpFuzz;

// Under afl-fuzz (tests/fuzz/run.sh): the SharpFuzz fork server runs the target once per input, in this process.
// Outside afl-fuzz: runs the target once on standard input, so a crash file can be replayed by hand:
//   dotnet DataMesh.Gateway.Fuzz.dll protocol < tests/fuzz/protocol/crashes/<file>
if (args.Length != 1 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: DataMesh.Gateway.Fuzz <{string.Join('|', FuzzTargets.Names)}>");
    return 2;
}

// Created inside the first run: instrumented code writes to SharpFuzz's coverage map, which exists only from
// Fuzzer.Run on (the rewrite target's setup runs instrumented policy code).
IFuzzTarget? target = null;
try
{
    Fuzzer.Run(stream =>
    {
        target ??= FuzzTargets.Find(args[0])!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
}
finally
{
    target?.Dispose();
}
return 0;
