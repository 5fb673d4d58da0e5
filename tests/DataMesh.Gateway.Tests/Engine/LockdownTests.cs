using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Execution;
using DataMesh.Gateway.Engine.Instances;

namespace DataMesh.Gateway.Tests.Engine;

/// <summary>What a consumer can and cannot reach once an instance is locked down.</summary>
public sealed class LockdownTests : IDisposable
{
    private readonly EngineFiles _files = new();
    private readonly EngineInstances _pool = new(4);

    [Fact]
    public void ReadsInsideAnAllowedDirectoryWork()
    {
        using var session = Session(_files.A);
        Assert.Equal("5", EngineSql.Scalar(session, $"SELECT count(*) FROM '{_files.A}/*.parquet'"));
        Assert.Equal("3", EngineSql.Scalar(session, $"SELECT count(*) FROM read_parquet('{_files.A}/x.parquet')"));
        Assert.Equal("2", EngineSql.Scalar(session, $"SELECT count(*) FROM glob('{_files.A}/*')"));
    }

    [Fact]
    public void AGlobAllowsItsDirectoryAndNothingBeside()
    {
        using var session = Session($"{_files.A}/*.parquet");
        Assert.Equal("5", EngineSql.Scalar(session, $"SELECT count(*) FROM '{_files.A}/*.parquet'"));
        EngineSql.Refused(session, $"SELECT * FROM '{_files.B}/secret.parquet'");
        EngineSql.Refused(session, $"SELECT * FROM glob('{_files.Root}/*')");
    }

    [Fact]
    public void AFileAllowsThatFileOnly()
    {
        using var session = Session($"{_files.C}/f.parquet");
        Assert.Equal("7", EngineSql.Scalar(session, $"SELECT f FROM '{_files.C}/f.parquet'"));
        EngineSql.Refused(session, $"SELECT * FROM '{_files.C}/g.parquet'");
        EngineSql.Refused(session, $"SELECT * FROM '{_files.C}/*.parquet'");
    }

    [Fact]
    public void ReadsOutsideTheAllowedSourcesAreRefused()
    {
        using var session = Session(_files.A);
        EngineSql.Refused(session, $"SELECT * FROM '{_files.B}/secret.parquet'");
        EngineSql.Refused(session, $"SELECT * FROM read_parquet('{_files.A}/../b/secret.parquet')");
        EngineSql.Refused(session, $"SELECT * FROM read_blob('{_files.A}/sub/../../b/secret.parquet')");
        EngineSql.Refused(session, $"SELECT * FROM read_parquet('file://{_files.B}/secret.parquet')");
        EngineSql.Refused(session, $"SELECT * FROM glob('{_files.Root}/*')");
        EngineSql.Refused(session, "SELECT * FROM read_csv('/etc/passwd')");
        EngineSql.Refused(session, "SELECT * FROM read_text('~/.bashrc')");
    }

    [Fact]
    public void NoFileCanBeWrittenOrAttachedOutsideTheAllowedSources()
    {
        using var session = Session(_files.A);
        EngineSql.Refused(session, $"ATTACH '{_files.Root}/other.duckdb' AS other");
        EngineSql.Refused(session, $"COPY (SELECT 1 AS x) TO '{_files.Root}/out.csv'");
        EngineSql.Refused(session, $"COPY (SELECT 1 AS x) TO '{_files.B}/secret.parquet' (FORMAT parquet)");
        EngineSql.Refused(session, $"EXPORT DATABASE '{_files.Root}/export'");
        Assert.False(File.Exists(Path.Combine(_files.Root, "other.duckdb")));
        Assert.False(File.Exists(Path.Combine(_files.Root, "out.csv")));
    }

    /// <summary>
    /// DuckDB's allow lists do not tell reads from writes: COPY TO, even over a producer's file, and ATTACH succeed
    /// inside an allowed directory (checked on 1.5.6). The policy layer must refuse those statements, and the gateway
    /// should not have write permission on producer files; this test fails if DuckDB ever closes the gap itself.
    /// </summary>
    [Fact]
    public void KnownGap_AnAllowedDirectoryIsWritableToo()
    {
        using var session = Session(_files.A);
        EngineSql.Rows(session, $"COPY (SELECT 1 AS x) TO '{_files.A}/written.csv'");
        Assert.True(File.Exists(Path.Combine(_files.A, "written.csv")));
        EngineSql.Rows(session, $"COPY (SELECT 'overwritten' AS label) TO '{_files.A}/x.parquet' (FORMAT parquet)");
        Assert.Equal("overwritten", EngineSql.Scalar(session, $"SELECT label FROM '{_files.A}/x.parquet'"));
        EngineSql.Rows(session, $"ATTACH '{_files.A}/planted.duckdb' AS planted");
        Assert.True(File.Exists(Path.Combine(_files.A, "planted.duckdb")));
    }

    [Fact]
    public void TheConfigurationCannotBeUnlocked()
    {
        using var session = Session(_files.A);
        EngineSql.Fails(session, "SET enable_external_access = true");
        EngineSql.Fails(session, "SET lock_configuration = false");
        EngineSql.Fails(session, $"SET allowed_directories = ['{_files.Root}/']");
        EngineSql.Fails(session, "SET home_directory = '/'");
        EngineSql.Fails(session, "RESET enable_external_access");
        Assert.Equal("f", EngineSql.Scalar(session, "SELECT system.main.current_setting('enable_external_access')"));
        Assert.Equal("t", EngineSql.Scalar(session, "SELECT system.main.current_setting('lock_configuration')"));
    }

    [Fact]
    public void ExtensionsCannotBeInstalledOrLoaded()
    {
        using var session = Session(_files.A);
        EngineSql.Fails(session, "INSTALL httpfs");
        EngineSql.Fails(session, "LOAD httpfs");
        EngineSql.Fails(session, "FORCE INSTALL spatial");
        Assert.Equal("f", EngineSql.Scalar(session, "SELECT system.main.current_setting('autoinstall_known_extensions')"));
        Assert.Equal("f", EngineSql.Scalar(session, "SELECT system.main.current_setting('autoload_known_extensions')"));
        Assert.Equal("f", EngineSql.Scalar(session, "SELECT system.main.current_setting('allow_community_extensions')"));
        Assert.Equal("f", EngineSql.Scalar(session, "SELECT system.main.current_setting('allow_persistent_secrets')"));
    }

    [Fact]
    public void AnInstanceWithoutSourcesComputesButReadsNothing()
    {
        using var session = Session();
        Assert.Equal("1", EngineSql.Scalar(session, "SELECT 1"));
        Assert.Equal("45", EngineSql.Scalar(session, "SELECT sum(range) FROM range(10)"));
        Assert.Equal("1", EngineSql.Scalar(session, "SELECT count(*) FROM pg_type WHERE typname = 'int4'"));
        EngineSql.Refused(session, $"SELECT * FROM '{_files.A}/x.parquet'");
        EngineSql.Refused(session, $"SELECT * FROM glob('{_files.A}/*')");
    }

    [Fact]
    public void MemoryLimitAndThreadsComeFromTheSpec()
    {
        using var lease = _pool.Acquire(EngineFiles.Spec("limits") with { MemoryLimit = "1GiB", Threads = 3 });
        using var session = lease.OpenSession();
        Assert.Equal("1.0 GiB", EngineSql.Scalar(session, "SELECT system.main.current_setting('memory_limit')"));
        Assert.Equal("3", EngineSql.Scalar(session, "SELECT value FROM duckdb_settings() WHERE name = 'threads'"));
        EngineSql.Fails(session, "SET memory_limit = '100GB'");
        EngineSql.Fails(session, "SET threads = 8");
    }

    [Fact]
    public void TheTempDirectoryIsPrivateToTheInstanceAndRemovedWithIt()
    {
        var parent = Path.Combine(_files.Root, "tmp");
        var lease = _pool.Acquire(EngineFiles.Spec("spill") with { TempDirectory = parent, MaxTempDirectorySize = "64MiB" });
        string temp;
        using (var session = lease.OpenSession())
        {
            temp = EngineSql.Scalar(session, "SELECT system.main.current_setting('temp_directory')")!;
            Assert.Equal(parent, Path.GetDirectoryName(temp));
            Assert.True(Directory.Exists(temp));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(temp));
            Assert.Equal("64.0 MiB", EngineSql.Scalar(session, "SELECT system.main.current_setting('max_temp_directory_size')"));
        }
        lease.Dispose();
        _pool.Dispose();
        Assert.False(Directory.Exists(temp));
    }

    [Fact]
    public void TheSingleEngineIsLockedDownTheSameWay()
    {
        using var engine = DuckDbEngine.Open(new EngineOptions { AllowedDirectories = [_files.A], MemoryLimit = "512MiB", Threads = 1 });
        using var session = engine.OpenSession();
        Assert.Equal("5", EngineSql.Scalar(session, $"SELECT count(*) FROM '{_files.A}/*.parquet'"));
        EngineSql.Refused(session, $"SELECT * FROM '{_files.B}/secret.parquet'");
        EngineSql.Fails(session, "SET enable_external_access = true");
    }

    /// <summary>A session on a fresh instance; the session holds its own lease, so the acquiring one can go.</summary>
    private EngineSession Session(params string[] sources)
    {
        using var lease = _pool.Acquire(EngineFiles.Spec("p-" + Guid.NewGuid().ToString("N"), "f1", sources));
        return lease.OpenSession();
    }

    public void Dispose()
    {
        _pool.Dispose();
        _files.Dispose();
    }
}
