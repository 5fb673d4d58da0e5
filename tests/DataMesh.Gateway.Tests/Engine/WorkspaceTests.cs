using DataMesh.Gateway.Engine.Instances;
using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Tests.Engine;

/// <summary>The workspace is attached before lockdown and stays writable (or read-only) after it.</summary>
public sealed class WorkspaceTests : IDisposable
{
    private readonly EngineFiles _files = new();
    private readonly EngineInstances _pool = new(4);

    [Fact]
    public void AWritableWorkspaceTakesDdlAndDmlAfterLockdown()
    {
        var workspace = _files.NewWorkspace();
        using (var lease = _pool.Acquire(Spec("rw", workspace, writable: true)))
        using (var session = lease.OpenSession())
        {
            EngineSql.Rows(session, $"CREATE TABLE workspace.t AS SELECT * FROM '{_files.A}/x.parquet'");
            EngineSql.Rows(session, "INSERT INTO workspace.t VALUES (99, 'z')");
            Assert.Equal("4", EngineSql.Scalar(session, "SELECT count(*) FROM workspace.t"));
            EngineSql.Rows(session, "CREATE TABLE workspace.kept AS SELECT 5 AS v");
            EngineSql.Rows(session, "DROP TABLE workspace.t");
            EngineSql.Rows(session, "CHECKPOINT workspace");
            Assert.Equal("f", EngineSql.Scalar(session, "SELECT system.main.current_setting('enable_external_access')"));
            EngineSql.Refused(session, $"SELECT * FROM '{_files.B}/secret.parquet'");
            EngineSql.Refused(session, $"ATTACH '{_files.Root}/another.duckdb' AS another");
            EngineSql.Refused(session, $"COPY workspace.kept TO '{_files.Root}/kept.csv'");
        }
        _pool.Dispose();

        // The writes reached the file: a fresh read-only instance sees them.
        using var pool = new EngineInstances(1);
        using var reader = pool.Acquire(Spec("ro", workspace, writable: false));
        using var check = reader.OpenSession();
        Assert.Equal("5", EngineSql.Scalar(check, "SELECT v FROM workspace.kept"));
        Assert.Equal("0", EngineSql.Scalar(check, "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'workspace' AND table_name = 't'"));
    }

    [Fact]
    public void AReadOnlyWorkspaceCannotBeWritten()
    {
        var workspace = _files.NewWorkspace();
        using var lease = _pool.Acquire(Spec("ro", workspace, writable: false));
        using var session = lease.OpenSession();
        Assert.Equal("1", EngineSql.Scalar(session, "SELECT v FROM workspace.existing"));
        EngineSql.Fails(session, "CREATE TABLE workspace.t AS SELECT 1 AS v");
        EngineSql.Fails(session, "INSERT INTO workspace.existing VALUES (2)");
        EngineSql.Fails(session, "DROP TABLE workspace.existing");
        EngineSql.Fails(session, $"ATTACH '{workspace}' AS again"); // a second, read-write handle on the attached file
        Assert.Equal("1", EngineSql.Scalar(session, "SELECT count(*) FROM workspace.existing"));
    }

    /// <summary>
    /// Lockdown adds the attached workspace file to allowed_paths, and DETACH is not an external access: a session
    /// of a read-only instance can detach the workspace and attach it again read-write (checked on 1.5.6). The
    /// policy layer must refuse ATTACH and DETACH; this test fails if DuckDB ever closes the gap itself.
    /// </summary>
    [Fact]
    public void KnownGap_DetachAndAttachMakeAReadOnlyWorkspaceWritable()
    {
        var workspace = _files.NewWorkspace();
        using var lease = _pool.Acquire(Spec("ro", workspace, writable: false));
        using var session = lease.OpenSession();
        Assert.Contains(workspace, EngineSql.Scalar(session, "SELECT system.main.current_setting('allowed_paths')::VARCHAR"));
        EngineSql.Rows(session, "DETACH workspace");
        EngineSql.Rows(session, $"ATTACH '{workspace}' AS workspace");
        EngineSql.Rows(session, "INSERT INTO workspace.existing VALUES (2)");
        Assert.Equal("2", EngineSql.Scalar(session, "SELECT count(*) FROM workspace.existing"));
    }

    /// <summary>The same allowed path lets COPY TO overwrite the workspace file, from any instance that attached it.</summary>
    [Fact]
    public void KnownGap_CopyCanOverwriteTheWorkspaceFile()
    {
        var workspace = _files.NewWorkspace();
        using var lease = _pool.Acquire(Spec("ro", workspace, writable: false));
        using var session = lease.OpenSession();
        Assert.NotNull(EngineSql.Scalar(session, $"SELECT size FROM read_blob('{workspace}')"));
        EngineSql.Rows(session, $"COPY (SELECT 1 AS x) TO '{workspace}' (FORMAT csv, USE_TMP_FILE false)");
        Assert.True(new FileInfo(workspace).Length < 100);
    }

    /// <summary>Two instances of one process would both attach the file read-write and overwrite each other's
    /// checkpoints (DuckDB's lock does not conflict within a process), so the second writer is refused until the
    /// first instance is closed.</summary>
    [Fact]
    public void OnlyOneInstanceAttachesAWorkspaceForWriting()
    {
        var workspace = _files.NewWorkspace();
        var first = _pool.Acquire(Spec("proj", workspace, writable: true));
        var session = first.OpenSession();
        first.Dispose();
        Assert.Equal(WorkspaceAccess.ReadWrite, session.Workspace);

        // Another instance that asks to write the same file while the first holds it gets it read-only.
        using (var other = _pool.Acquire(Spec("proj-other", workspace, writable: true)))
        using (var otherSession = other.OpenSession())
        {
            Assert.Equal(WorkspaceAccess.ReadOnly, otherSession.Workspace);
            Assert.Equal("1", EngineSql.Scalar(otherSession, "SELECT v FROM workspace.existing"));
            Assert.ThrowsAny<Exception>(() => EngineSql.Rows(otherSession, "INSERT INTO workspace.existing VALUES (9)"));
        }

        // The project's own rebuild (its grants changed) takes the workspace over from the still-leased predecessor:
        // the old session loses it, the new instance writes it.
        using var second = _pool.Acquire(Spec("proj", workspace, writable: true, fingerprint: "f2"));
        using var secondSession = second.OpenSession();
        Assert.Equal(WorkspaceAccess.ReadWrite, secondSession.Workspace);
        EngineSql.Rows(secondSession, "INSERT INTO workspace.existing VALUES (2)");
        Assert.Equal("2", EngineSql.Scalar(secondSession, "SELECT count(*) FROM workspace.existing"));
        Assert.ThrowsAny<Exception>(() => EngineSql.Scalar(session, "SELECT count(*) FROM workspace.existing"));
        session.Dispose();
    }

    [Fact]
    public void ARebuildWaitsForAnUnleasedPredecessorToRelease()
    {
        var workspace = _files.NewWorkspace();
        using (var first = _pool.Acquire(Spec("proj", workspace, writable: true)))
        using (var session = first.OpenSession())
            EngineSql.Rows(session, "INSERT INTO workspace.existing VALUES (2)");
        using var second = _pool.Acquire(Spec("proj", workspace, writable: true, fingerprint: "f2"));
        using var secondSession = second.OpenSession();
        Assert.Equal("2", EngineSql.Scalar(secondSession, "SELECT count(*) FROM workspace.existing"));
    }

    private EngineSpec Spec(string key, string workspace, bool writable, string fingerprint = "f1") =>
        EngineFiles.Spec(key, fingerprint, _files.A) with { WorkspacePath = workspace, WorkspaceWritable = writable };

    public void Dispose()
    {
        _pool.Dispose();
        _files.Dispose();
    }
}
