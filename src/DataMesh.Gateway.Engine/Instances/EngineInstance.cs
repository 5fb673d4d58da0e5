using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// One locked-down DuckDB database and what it owns: its root connection, its private temp directory and its claim
/// on a writable workspace. DuckDB.NET closes an in-memory database when the last of its connections closes, so
/// the owner disposes this only after every session connection opened from it is closed: the pool's lease counts
/// guarantee that, and <see cref="DuckDbEngine"/> leaves it to its caller.
/// </summary>
internal sealed class EngineInstance : IDisposable
{
    /// <summary>How the workspace was attached (it can be less than asked: another writer holds the file).</summary>
    public WorkspaceAccess Workspace { get; init; }

    /// <summary>Built by patching the project's standby rather than from scratch.</summary>
    public bool FromStandby { get; init; }

    private readonly DuckDBConnection _root;
    private readonly string? _tempDirectory;
    private IDisposable? _workspaceClaim;
    private readonly Lock _gate = new();
    private bool _disposed;

    public EngineInstance(DuckDBConnection root, string? tempDirectory, IDisposable? workspaceClaim)
    {
        _root = root;
        _tempDirectory = tempDirectory;
        _workspaceClaim = workspaceClaim;
    }

    /// <summary>The instance's private spill directory (null: spilling off); governed Parquet exports are written there.</summary>
    internal string? TempDirectory => _tempDirectory;

    /// <summary>A new connection to this database; the caller owns it.</summary>
    public DuckDBConnection OpenConnection()
    {
        // Duplicate reads the root's state; connections open concurrently from many client threads.
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return OpenDuplicate(_root);
        }
    }

    internal static DuckDBConnection OpenDuplicate(DuckDBConnection root)
    {
        var connection = root.Duplicate();
        if (connection.State != System.Data.ConnectionState.Open) connection.Open();
        return connection;
    }

    /// <summary>
    /// Gives up the writable workspace so that the instance replacing this one (the project's grants changed) can
    /// attach it: DETACH on the root connection, then the claim is released. Sessions still on this instance lose the
    /// workspace (a statement of theirs that reads it fails); each moves to the new instance at its next statement.
    /// </summary>
    public void HandOffWorkspace()
    {
        lock (_gate)
        {
            if (_disposed || _workspaceClaim is null) return;
            try
            {
                using var cmd = _root.CreateCommand();
                cmd.CommandText = "DETACH workspace";
                cmd.ExecuteNonQuery();
            }
            catch (DuckDBException)
            {
                // Already detached or busy: the claim must still go, or the successor can never be built. Two
                // writers would then diverge only if the DETACH failed while the old one keeps writing; the gateway
                // moves every session to the new instance at its next statement.
            }
            _workspaceClaim.Dispose();
            _workspaceClaim = null;

        }
    }

    /// <summary>Idempotent; a second caller waits until the first has finished, so that a successor building on the
    /// same workspace file starts only once this database is closed and its write claim released.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _root.Dispose();
            _workspaceClaim?.Dispose();
            DeleteTempDirectory(_tempDirectory);
        }
    }

    internal static void DeleteTempDirectory(string? path)
    {
        if (path is null) return;
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Spill files are private to a closed instance; a leftover directory costs disk, not correctness.
        }
    }
}
