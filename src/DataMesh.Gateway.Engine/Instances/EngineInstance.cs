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
    private readonly DuckDBConnection _root;
    private readonly string? _tempDirectory;
    private readonly IDisposable? _workspaceClaim;
    private readonly Lock _gate = new();
    private bool _disposed;

    public EngineInstance(DuckDBConnection root, string? tempDirectory, IDisposable? workspaceClaim)
    {
        _root = root;
        _tempDirectory = tempDirectory;
        _workspaceClaim = workspaceClaim;
    }

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
