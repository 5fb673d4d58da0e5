using DataMesh.Gateway.Engine.Execution;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine;

/// <summary>
/// One locked-down DuckDB instance. Configuration follows the order that holds in DuckDB 1.5
/// (docs/SECURITY.md): allowed paths, temp directory, no extension install or autoload, limits,
/// trusted setup, external access off, configuration locked. Sessions are connections to it.
/// </summary>
public sealed class DuckDbEngine : IDisposable
{
    private readonly DuckDBConnection _root;

    private DuckDbEngine(DuckDBConnection root) => _root = root;

    public static DuckDbEngine Open(EngineOptions options)
    {
        // Extension downloads are off from the very first statement: the connection string sets them at open.
        var root = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        root.Open();
        try
        {
            void Run(string sql)
            {
                using var cmd = root.CreateCommand();
                cmd.CommandText = sql;
                cmd.ExecuteNonQuery();
            }

            if (options.AllowedDirectories.Count > 0)
            {
                var list = string.Join(", ", options.AllowedDirectories.Select(d => Literal(WithSlash(Path.GetFullPath(d)))));
                Run($"SET allowed_directories = [{list}]");
            }
            if (options.TempDirectory is { } temp)
            {
                Directory.CreateDirectory(temp);
                Run($"SET temp_directory = {Literal(Path.GetFullPath(temp))}");
                Run($"SET max_temp_directory_size = {Literal(options.MaxTempDirectorySize)}");
            }
            else
            {
                Run("SET temp_directory = ''");
            }
            Run("SET autoinstall_known_extensions = false");
            Run("SET autoload_known_extensions = false");
            Run("SET allow_community_extensions = false");
            Run("SET allow_unsigned_extensions = false");
            Run("SET allow_persistent_secrets = false");
            Run($"SET memory_limit = {Literal(options.MemoryLimit)}");
            Run($"SET threads = {Math.Max(1, options.Threads)}");

            foreach (var sql in PgCatalogEmulation.Statements()) Run(sql);
            foreach (var sql in options.SetupStatements) Run(sql);

            Run("SET enable_external_access = false");
            Run("SET lock_configuration = true");
        }
        catch
        {
            root.Dispose();
            throw;
        }
        return new DuckDbEngine(root);
    }

    /// <summary>Opens a connection for one client session.</summary>
    public EngineSession OpenSession()
    {
        var connection = _root.Duplicate();
        if (connection.State != System.Data.ConnectionState.Open) connection.Open();
        return new EngineSession(connection);
    }

    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string WithSlash(string path) => path.EndsWith('/') ? path : path + "/";

    public void Dispose() => _root.Dispose();
}
