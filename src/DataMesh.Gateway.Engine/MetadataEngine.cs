using DataMesh.Gateway.Protocol.Errors;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine;

/// <summary>
/// A private DuckDB connection for trusted catalog work: reading Parquet schemas of paths the gateway resolved and
/// checked itself, parsing expressions with DuckDB's own parser, creating workspace database files. It never runs
/// user queries, and no client can reach it.
/// </summary>
public sealed class MetadataEngine : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly object _gate = new();

    public MetadataEngine()
    {
        _connection = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        _connection.Open();
    }

    /// <summary>Column names and DuckDB type names of a Parquet file, directory glob or list.</summary>
    public IReadOnlyList<(string Name, string Type)> DescribeParquet(string pathOrGlob)
    {
        lock (_gate)
        {
            try
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = $"DESCRIBE SELECT * FROM read_parquet({DuckDbEngine.Literal(pathOrGlob)})";
                using var reader = cmd.ExecuteReader();
                var columns = new List<(string, string)>();
                while (reader.Read()) columns.Add((reader.GetString(0), reader.GetString(1)));
                return columns;
            }
            catch (DuckDBException e)
            {
                throw new PgErrorException(SqlState.InvalidParameterValue, "the asset source cannot be read as Parquet",
                    detail: FirstLine(e.Message).Replace(pathOrGlob, "<source>", StringComparison.Ordinal));
            }
        }
    }

    /// <summary>
    /// The files a Parquet path or glob matches now, sorted, at most <paramref name="limit"/>: used to look at each
    /// file of an asset after a read failed, or for DESCRIBE ASSET's drift check.
    /// </summary>
    public IReadOnlyList<string> ListFiles(string pathOrGlob, int limit)
    {
        lock (_gate)
        {
            var files = new List<string>();
            try
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = $"SELECT file FROM glob({DuckDbEngine.Literal(pathOrGlob)}) ORDER BY file LIMIT {limit}";
                using var reader = cmd.ExecuteReader();
                while (reader.Read()) files.Add(reader.GetString(0));
            }
            catch (DuckDBException)
            {
                // An unreadable directory lists as no files: the caller reports the source as empty.
            }
            return files;
        }
    }

    /// <summary>DuckDB's JSON AST of a SELECT statement (json_serialize_sql); parse errors become 42601.</summary>
    public string SerializeSelect(string sql)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"SELECT json_serialize_sql({DuckDbEngine.Literal(sql)})";
            return (string)cmd.ExecuteScalar()!;
        }
    }

    /// <summary>
    /// The DuckDB type of an expression over columns of the given types (bound against an empty relation, never run
    /// over data); null when it does not bind.
    /// </summary>
    public string? ExpressionType(string expression, IReadOnlyList<(string Name, string Type)> columns)
    {
        var relation = columns.Count == 0 ? "SELECT 1 AS __none"
            : "SELECT " + string.Join(", ", columns.Select(c => $"CAST(NULL AS {c.Type}) AS \"{c.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
        lock (_gate)
        {
            try
            {
                using var cmd = _connection.CreateCommand();
                cmd.CommandText = $"DESCRIBE SELECT ({expression}) AS f FROM ({relation} LIMIT 0) AS __datamesh_asset";
                using var reader = cmd.ExecuteReader();
                return reader.Read() ? reader.GetString(1) : null;
            }
            catch (DuckDBException)
            {
                return null;
            }
        }
    }

    /// <summary>Creates an empty DuckDB database file (a project's workspace) if it does not exist.</summary>
    public void CreateDatabaseFile(string path)
    {
        lock (_gate)
        {
            using var attach = _connection.CreateCommand();
            attach.CommandText = $"ATTACH {DuckDbEngine.Literal(path)} AS provision_target; DETACH provision_target;";
            attach.ExecuteNonQuery();
        }
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0];

    public void Dispose() => _connection.Dispose();
}
