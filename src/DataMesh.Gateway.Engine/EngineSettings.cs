using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine;

/// <summary>
/// The names of DuckDB's own settings (memory_limit, allowed_directories, enable_external_access, …), read once from
/// a throwaway instance. A consumer's SET of one of these is a refusal (42501), not an unknown parameter: the engine's
/// configuration belongs to the gateway, and the session statement never reaches the engine.
/// </summary>
public static class EngineSettings
{
    private static readonly Lazy<HashSet<string>> Lazy = new(Load);

    public static bool IsEngineSetting(string name) => Lazy.Value.Contains(name);

    private static HashSet<string> Load()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT name FROM duckdb_settings()";
        using var reader = cmd.ExecuteReader();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }
}
