using System.Buffers;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Protocol.Messages.Backend;

namespace DataMesh.Gateway.Tests.Engine;

/// <summary>
/// The pool's lifecycle. Whether two leases share an instance is observed through the instance itself: a table
/// created in one session is visible to every session of the same instance, and to no other.
/// </summary>
public sealed class EngineInstancesTests : IDisposable
{
    private readonly EngineFiles _files = new();

    [Fact]
    public void TheSameFingerprintReusesTheInstance()
    {
        using var pool = new EngineInstances(2);
        using var first = pool.Acquire(Spec("p"));
        Mark(first);
        using var second = pool.Acquire(Spec("p"));
        Assert.True(IsMarked(second));
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void ANewFingerprintRebuildsAndTheOldInstanceKeepsStreaming()
    {
        using var pool = new EngineInstances(2);
        var old = pool.Acquire(Spec("p", "f1"));
        Mark(old);
        using var oldSession = old.OpenSession();
        using var query = oldSession.Prepare($"SELECT * FROM '{_files.A}/*.parquet'");
        using var cursor = oldSession.Execute(query, []);

        using var rebuilt = pool.Acquire(Spec("p", "f2"));
        Assert.Equal("f2", rebuilt.Fingerprint);
        Assert.False(IsMarked(rebuilt));
        Assert.Equal(1, pool.Count);

        // The superseded instance still serves its lease and its open result.
        old.Dispose();
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(CursorStop.Completed, cursor.WriteRows(new BackendWriter(output), [], 0, long.MaxValue));
        Assert.Equal(5, cursor.RowsAffected);
        Assert.Equal("1", EngineSql.Scalar(oldSession, "SELECT count(*) FROM marker"));

        using var again = pool.Acquire(Spec("p", "f2"));
        Assert.False(IsMarked(again));
    }

    [Fact]
    public void ASessionKeepsItsInstanceAliveAfterEverythingElseIsGone()
    {
        EngineSession session;
        var pool = new EngineInstances(1);
        using (var lease = pool.Acquire(Spec("p")))
            session = lease.OpenSession();
        pool.Acquire(Spec("other")).Dispose(); // evicts nothing: "p" is leased by the session
        pool.Dispose();
        Assert.Equal("5", EngineSql.Scalar(session, $"SELECT count(*) FROM '{_files.A}/*.parquet'"));
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Acquire(Spec("p")));
    }

    [Fact]
    public void TheLeastRecentlyAcquiredUnleasedInstanceIsEvicted()
    {
        using var pool = new EngineInstances(2);
        using (var a = pool.Acquire(Spec("a"))) Mark(a);
        using (var b = pool.Acquire(Spec("b"))) Mark(b);
        using (var a = pool.Acquire(Spec("a"))) Assert.True(IsMarked(a)); // "b" is now the least recent
        using (pool.Acquire(Spec("c"))) { }

        Assert.Equal(2, pool.Count);
        using (var a = pool.Acquire(Spec("a"))) Assert.True(IsMarked(a));
        using (var b = pool.Acquire(Spec("b"))) Assert.False(IsMarked(b)); // rebuilt
    }

    [Fact]
    public void ALeasedInstanceIsNeverEvictedAndThePoolShrinksBackLater()
    {
        using var pool = new EngineInstances(1);
        var a = pool.Acquire(Spec("a"));
        Mark(a);
        var b = pool.Acquire(Spec("b"));
        Mark(b);
        Assert.Equal(2, pool.Count); // over capacity while both are leased
        Assert.True(IsMarked(a));

        a.Dispose();
        Assert.Equal(1, pool.Count); // "a" was the only unleased one
        Assert.True(IsMarked(b));
        b.Dispose();
        using var again = pool.Acquire(Spec("a"));
        Assert.False(IsMarked(again));
    }

    [Fact]
    public void ConcurrentAcquiresOfOneNewSpecBuildOnce()
    {
        using var pool = new EngineInstances(4);
        const int callers = 8;
        using var start = new Barrier(callers);
        var leases = new EngineLease[callers];
        Parallel.For(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers }, i =>
        {
            start.SignalAndWait();
            leases[i] = pool.Acquire(Spec("p"));
        });
        try
        {
            Mark(leases[0]);
            Assert.All(leases, lease => Assert.True(IsMarked(lease)));
            Assert.Equal(1, pool.Count);
        }
        finally
        {
            foreach (var lease in leases) lease.Dispose();
        }
    }

    [Fact]
    public void AFailedBuildLeavesNothingBehind()
    {
        using var pool = new EngineInstances(2);
        Assert.Throws<ArgumentException>(() => pool.Acquire(Spec("p") with { AllowedSources = ["relative/path"] }));
        Assert.Equal(0, pool.Count);
        using var lease = pool.Acquire(Spec("p"));
        using var session = lease.OpenSession();
        Assert.Equal("1", EngineSql.Scalar(session, "SELECT 1"));
    }

    private EngineSpec Spec(string key, string fingerprint = "f1") => EngineFiles.Spec(key, fingerprint, _files.A);

    private static void Mark(EngineLease lease)
    {
        using var session = lease.OpenSession();
        EngineSql.Rows(session, "CREATE TABLE marker AS SELECT 1 AS v");
    }

    private static bool IsMarked(EngineLease lease)
    {
        using var session = lease.OpenSession();
        return EngineSql.Scalar(session, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'marker'") == "1";
    }

    public void Dispose() => _files.Dispose();
}
