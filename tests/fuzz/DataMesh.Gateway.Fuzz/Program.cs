using DataMesh.Gateway.Fuzz;
using SharpFuzz;

// Under afl-fuzz (tests/fuzz/run.sh): the SharpFuzz fork server runs the target once per input, in this process.
// Outside afl-fuzz: runs the target once on standard input, so a crash file can be replayed by hand:
//   dotnet DataMesh.Gateway.Fuzz.dll protocol < tests/fuzz/protocol/crashes/<file>
if (args.Length != 1 || FuzzTargets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine($"usage: DataMesh.Gateway.Fuzz <{string.Join('|', FuzzTargets.Names)}>");
    return 2;
}

using (target)
{
    Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    });
}
return 0;
