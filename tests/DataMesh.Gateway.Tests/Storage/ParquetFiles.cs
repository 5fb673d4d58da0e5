using DuckDB.NET.Data;

namespace DataMesh.Gateway.Tests.Storage;

/// <summary>Parquet files for the object-storage tests, written by DuckDB from a query.</summary>
public static class ParquetFiles
{
    public static string Write(string directory, string name, string query)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({query}) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
        command.ExecuteNonQuery();
        return path;
    }

    /// <summary>Orders: id 1..n, region cycling Europe/Americas/Asia, amount, and an e-mail column to exclude.</summary>
    public static string Orders(string directory, string name, int rows, int firstId = 1) => Write(directory, name,
        $"SELECT i AS id, CASE i % 3 WHEN 0 THEN 'Europe' WHEN 1 THEN 'Americas' ELSE 'Asia' END AS region, " +
        $"CAST(i * 10 AS DOUBLE) AS amount, 'user' || i || '@example.com' AS customer_email FROM range({firstId}, {firstId + rows}) t(i)");
}
