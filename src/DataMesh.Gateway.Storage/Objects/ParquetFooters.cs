using System.Buffers.Binary;
using DataMesh.Gateway.Storage.Accounts;

namespace DataMesh.Gateway.Storage.Objects;

/// <summary>
/// Reads an object's Parquet footer with ranged GETs (its last 64 KiB, more only when the footer is larger) and writes
/// it into a sparse local stub of the object's size: the leading magic, a hole, the footer. A Parquet reader that
/// only reads metadata (DuckDB's DESCRIBE) sees the real schema without the object's data being fetched.
/// </summary>
public sealed class ParquetFooters(ObjectStore store, string scratchDirectory)
{
    private const int FirstRead = 64 * 1024;
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    /// <summary>The stub's path (the caller deletes it); <see cref="InvalidDataException"/> when the object is not Parquet.</summary>
    public async Task<string> StubAsync(S3Account account, string bucket, ObjectVersion obj, CancellationToken cancel = default)
    {
        if (obj.Size < 12) throw new InvalidDataException("too small to be a Parquet file");
        var tail = await store.ReadTailAsync(account, bucket, obj, (int)Math.Min(obj.Size, FirstRead), cancel).ConfigureAwait(false);
        if (!tail.AsSpan(tail.Length - 4).SequenceEqual(Magic)) throw new InvalidDataException("no Parquet magic bytes at the end");
        var footer = BinaryPrimitives.ReadInt32LittleEndian(tail.AsSpan(tail.Length - 8, 4));
        if (footer <= 0 || footer > obj.Size - 12) throw new InvalidDataException("the Parquet footer length is out of range");
        if (footer + 8 > tail.Length) tail = await store.ReadTailAsync(account, bucket, obj, footer + 8, cancel).ConfigureAwait(false);

        Directory.CreateDirectory(scratchDirectory);
        var stub = Path.Combine(scratchDirectory, Guid.NewGuid().ToString("N") + ".parquet");
        await using var file = new FileStream(stub, FileMode.CreateNew, FileAccess.Write);
        file.SetLength(obj.Size); // a hole: no disk for the data the stub does not hold
        await file.WriteAsync(Magic, cancel).ConfigureAwait(false);
        file.Position = obj.Size - tail.Length;
        await file.WriteAsync(tail, cancel).ConfigureAwait(false);
        return stub;
    }
}
