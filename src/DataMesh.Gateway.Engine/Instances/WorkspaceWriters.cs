using DataMesh.Gateway.Protocol.Errors;

namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// At most one engine instance in this process may attach a workspace file read-write. DuckDB's file lock is a POSIX
/// record lock, which never conflicts within one process: two in-memory instances here both ATTACH the same file
/// read-write without error and then diverge (checked on 1.5.6: each saw only its own inserts), so their checkpoints
/// would overwrite each other. A rebuilt instance therefore cannot attach a workspace that its predecessor, still
/// leased by open sessions, holds for writing; building it fails instead, and succeeds once the predecessor is gone.
/// Read-only attaches are not counted: they can see a stale workspace, but cannot damage it.
/// </summary>
internal static class WorkspaceWriters
{
    private static readonly HashSet<string> Held = new(StringComparer.Ordinal);

    public static IDisposable Claim(string path)
    {
        var full = Path.GetFullPath(path);
        lock (Held)
        {
            if (!Held.Add(full))
                throw new PgErrorException(SqlState.ObjectNotInPrerequisiteState,
                    "the project workspace is still open for writing by sessions of an earlier configuration; retry when they have ended");
        }
        return new Release(full);
    }

    private sealed class Release(string path) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            lock (Held) Held.Remove(path);
        }
    }
}
