using DataMesh.Gateway.Protocol.Errors;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine.Instances;

/// <summary>
/// The one lockdown code path: opens an in-memory DuckDB database and configures it in the order that holds on
/// DuckDB 1.5 (docs/REFERENCE "DuckDB as a governed engine"): allow lists, temp directory, no extension install or
/// autoload, limits, trusted setup, external access off, configuration locked. Anything configured after the lock
/// is refused by DuckDB, so every trusted statement runs here. The pg_catalog emulation, the same trusted setup in
/// every instance, may already be in the database (a spare from <see cref="InstanceTemplates"/>): it reads no file
/// and changes no setting, so running it before the allow lists are set changes nothing the lockdown relies on
/// (extension downloads are off from the connection string on).
/// </summary>
internal static class InstanceBuilder
{
    // Extension downloads are off from the very first statement: the connection string sets them at open.
    internal const string ConnectionString = "DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false";

    /// <param name="trustedSetup">Extra trusted SQL run after the catalogs and before the workspace attach
    /// (the demo's views over producer files, through <see cref="DuckDbEngine.Open"/>).</param>
    /// <param name="templates">Where a spare with the emulation already built comes from; null: built here.</param>
    /// <param name="standby">The project's standby (<see cref="InstanceStandby"/>) to patch instead of building the
    /// shadow catalog; null, or a standby that cannot be patched: built here.</param>
    public static EngineInstance Build(EngineSpec spec, IReadOnlyList<string> trustedSetup, InstanceTemplates? templates = null,
        InstanceStandby? standby = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // Everything that can be refused is checked before a database exists.
        var allow = SourceAllowList.From(spec.AllowedSources);
        if (spec.WorkspacePath is { } workspacePath && !Path.IsPathFullyQualified(workspacePath))
            throw new ArgumentException($"the workspace path must be absolute: '{workspacePath}'", nameof(spec));

        // A patched standby already has exactly the spec's shadow catalog (checked by the patch); the lockdown below is
        // the same for both.
        var patched = standby?.TakeFor(spec);
        var root = patched ?? templates?.Take(spec.SettingDefinitions) ?? InstanceTemplates.Emulated(spec.SettingDefinitions);
        string? temp = null;
        IDisposable? workspaceClaim = null;
        var workspaceAccess = WorkspaceAccess.None;
        try
        {
            Run(root, $"SET allowed_paths = {List(allow.Paths)}");
            Run(root, $"SET allowed_directories = {List(allow.Directories)}");

            if (spec.TempDirectory is { } tempParent)
            {
                temp = CreatePrivateTempDirectory(tempParent);
                Run(root, $"SET temp_directory = {DuckDbEngine.Literal(temp)}");
                Run(root, $"SET max_temp_directory_size = {DuckDbEngine.Literal(spec.MaxTempDirectorySize)}");
            }
            else
            {
                Run(root, "SET temp_directory = ''");
            }

            Run(root, "SET autoinstall_known_extensions = false");
            Run(root, "SET autoload_known_extensions = false");
            Run(root, "SET allow_community_extensions = false");
            Run(root, "SET allow_unsigned_extensions = false");
            Run(root, "SET allow_persistent_secrets = false");
            Run(root, $"SET memory_limit = {DuckDbEngine.Literal(spec.MemoryLimit)}");
            Run(root, $"SET threads = {Math.Max(1, spec.Threads)}");

            if (patched is null) ShadowCatalog.Build(root, spec);
            foreach (var sql in trustedSetup) Run(root, sql);

            // ATTACH of a path outside the allow lists is refused after lockdown, so it happens here. Writes keep
            // working after lockdown because `SET enable_external_access = false` adds every attached database file
            // and its .wal, .wal.checkpoint and .wal.recovery to allowed_paths (checked on 1.5.6). The same makes the
            // file reachable by path: read_blob reads it, COPY TO overwrites it, and after DETACH it can be attached
            // again read-write, even from a read-only instance. DuckDB offers no setting against that, so the policy
            // layer must refuse COPY, EXPORT, ATTACH and DETACH and file functions on the workspace path.
            if (spec.WorkspacePath is { } workspace)
                (workspaceClaim, workspaceAccess) = AttachWorkspace(root, workspace, spec.WorkspaceWritable);

            Run(root, "SET enable_external_access = false");
            Run(root, "SET lock_configuration = true");
        }
        catch
        {
            root.Dispose();
            workspaceClaim?.Dispose();
            EngineInstance.DeleteTempDirectory(temp);
            throw;
        }
        return new EngineInstance(root, temp, workspaceClaim) { Workspace = workspaceAccess, FromStandby = patched is not null };
    }

    internal static void Run(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string List(IReadOnlyList<string> values) => "[" + string.Join(", ", values.Select(DuckDbEngine.Literal)) + "]";

    /// <summary>
    /// A fresh directory below <paramref name="parent"/> for this instance alone: DuckDB names its spill files the
    /// same way in every instance, so an instance and its rebuilt successor must not share one. Only the gateway's
    /// user can enter it; DuckDB leaves the temp directory readable and writable by queries after lockdown.
    /// </summary>
    private static string CreatePrivateTempDirectory(string parent)
    {
        var path = Path.Combine(Path.GetFullPath(parent), "instance-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetFullPath(parent));
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>
    /// Attaches the workspace read-write when this process holds no other writer of the file (DuckDB's lock does not
    /// guard within a process, see <see cref="WorkspaceWriters"/>) and no other process has it locked; otherwise
    /// read-only; otherwise (another process writes it) not at all. The instance reports which one it got, so the
    /// gateway refuses writes it cannot make instead of failing the whole session.
    /// </summary>
    private static (IDisposable? Claim, WorkspaceAccess Access) AttachWorkspace(DuckDBConnection root, string workspace, bool writable)
    {
        var path = DuckDbEngine.Literal(Path.GetFullPath(workspace));
        if (writable)
        {
            IDisposable? claim = null;
            try
            {
                claim = WorkspaceWriters.Claim(workspace);
                Run(root, $"ATTACH {path} AS workspace");
                return (claim, WorkspaceAccess.ReadWrite);
            }
            catch (Exception e) when (e is PgErrorException or DuckDBException)
            {
                claim?.Dispose();
            }
        }
        try
        {
            Run(root, $"ATTACH {path} AS workspace (READ_ONLY)");
            return (null, WorkspaceAccess.ReadOnly);
        }
        catch (DuckDBException)
        {
            return (null, WorkspaceAccess.None);
        }
    }
}
