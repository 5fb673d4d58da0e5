using DataMesh.Gateway.Protocol.Errors;
using DataMesh.Gateway.Protocol.Types;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Engine.Export;

/// <summary>
/// Writes a result that already went through governance into one Parquet file: its values arrive as text (the wire's
/// text format), are appended to a staging table, and one COPY casts each column to its DuckDB type and writes the
/// file. A private in-memory DuckDB does it, locked down like the project instances: it may touch only the export
/// directory, loads no extension, and runs nothing but the staging statements built here (column names are quoted,
/// types come from a fixed list), so no user text ever reaches it.
/// </summary>
public sealed class ParquetExport : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly DuckDBAppender _appender;
    private readonly IReadOnlyList<(string Name, string Type)> _columns;
    private readonly string _directory;

    /// <param name="columns">Each result column's name and PostgreSQL type (OID and modifier), as the wire described it.</param>
    public ParquetExport(string directory, IReadOnlyList<(string Name, int TypeOid, int TypeModifier)> columns)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        _columns = columns.Select(c => (c.Name, TypeFor(c.TypeOid, c.TypeModifier))).ToList();
        _connection = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        _connection.Open();
        try
        {
            Execute($"SET allowed_directories = [{DuckDbEngine.Literal(_directory + Path.DirectorySeparatorChar)}]");
            Execute($"SET temp_directory = {DuckDbEngine.Literal(Path.Combine(_directory, "spill"))}");
            Execute("SET enable_external_access = false");
            Execute("SET lock_configuration = true");
            Execute("CREATE TABLE staging (" + string.Join(", ", _columns.Select((_, i) => $"c{i} VARCHAR")) + ")");
            _appender = _connection.CreateAppender("staging");
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public long Rows { get; private set; }

    /// <summary>Appends one row; <paramref name="value"/> gives column i's text, or null for NULL.</summary>
    public void Append(Func<int, string?> value)
    {
        var row = _appender.CreateRow();
        for (var i = 0; i < _columns.Count; i++)
        {
            if (value(i) is { } text) row.AppendValue(text);
            else row.AppendNullValue();
        }
        row.EndRow();
        Rows++;
    }

    /// <summary>Writes the file (in the export directory) and returns its path; the caller deletes it after use.</summary>
    public string Finish()
    {
        _appender.Close();
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".parquet");
        var select = string.Join(", ", _columns.Select((c, i) => $"{Cast(i, c.Type)} AS {Quote(c.Name)}"));
        try
        {
            Execute($"COPY (SELECT {select} FROM staging) TO {DuckDbEngine.Literal(path)} (FORMAT parquet, COMPRESSION zstd)");
        }
        catch (DuckDBException e)
        {
            File.Delete(path);
            throw new PgErrorException(SqlState.InvalidTextRepresentation, "the result could not be written as Parquet: " + e.Message.Split('\n')[0]);
        }
        return path;
    }

    /// <summary>
    /// The DuckDB type a result column of PostgreSQL type <paramref name="typeOid"/> is written as. Types whose text
    /// DuckDB would not read back exactly (numeric without a scale, arrays, json, the rest) stay text.
    /// </summary>
    public static string TypeFor(int typeOid, int typeModifier) => typeOid switch
    {
        PgTypes.Bool => "BOOLEAN",
        PgTypes.Int2 => "SMALLINT",
        PgTypes.Int4 => "INTEGER",
        PgTypes.Int8 => "BIGINT",
        PgTypes.Float4 => "FLOAT",
        PgTypes.Float8 => "DOUBLE",
        PgTypes.Numeric when typeModifier >= 4 && ((typeModifier - 4) >> 16) is > 0 and <= 38 =>
            FormattableString.Invariant($"DECIMAL({(typeModifier - 4) >> 16}, {(typeModifier - 4) & 0xFFFF})"),
        PgTypes.Date => "DATE",
        PgTypes.Time => "TIME",
        PgTypes.Timestamp => "TIMESTAMP",
        PgTypes.TimestampTz => "TIMESTAMPTZ",
        PgTypes.Interval => "INTERVAL",
        PgTypes.Uuid => "UUID",
        PgTypes.Bytea => "BLOB",
        _ => "VARCHAR",
    };

    /// <summary>bytea arrives in the wire's hex form (\x…); everything else casts from its text as DuckDB reads it.</summary>
    private static string Cast(int i, string type) => type switch
    {
        "VARCHAR" => $"c{i}",
        "BLOB" => $"unhex(substr(c{i}, 3))",
        _ => $"CAST(c{i} AS {type})",
    };

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _appender?.Dispose();
        _connection.Dispose();
    }
}
