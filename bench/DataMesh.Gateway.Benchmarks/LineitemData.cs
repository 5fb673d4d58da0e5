using System.Globalization;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Benchmarks;

/// <summary>The deterministic lineitem-like data set shared by the micro-benchmarks and the stream harness.</summary>
public static class LineitemData
{
    /// <summary>The four columns of the narrow workload: int8, numeric(15,2), date, varchar.</summary>
    public const string FourColumns = "l_orderkey, l_extendedprice, l_shipdate, l_shipmode";

    /// <summary>A 16-column lineitem-shaped SELECT over range(rows); the same rows every time.</summary>
    public static string SelectSql(long rows) => string.Create(CultureInfo.InvariantCulture, $"""
        SELECT
          (i // 4 + 1)::BIGINT AS l_orderkey,
          ((i * 7919) % 200000 + 1)::BIGINT AS l_partkey,
          ((i * 104729) % 10000 + 1)::BIGINT AS l_suppkey,
          (i % 4 + 1)::INTEGER AS l_linenumber,
          ((i % 50) + 1)::DECIMAL(15,2) AS l_quantity,
          (((i * 31) % 10000000) / 100.0 + 900)::DECIMAL(15,2) AS l_extendedprice,
          ((i % 11) / 100.0)::DECIMAL(15,2) AS l_discount,
          ((i % 9) / 100.0)::DECIMAL(15,2) AS l_tax,
          (['A','N','R'])[i % 3 + 1] AS l_returnflag,
          (['F','O'])[i % 2 + 1] AS l_linestatus,
          (DATE '1992-01-02' + (i % 2500)::INTEGER) AS l_shipdate,
          (DATE '1992-01-31' + ((i * 7) % 2500)::INTEGER) AS l_commitdate,
          (DATE '1992-01-03' + ((i % 2500) + (i % 30))::INTEGER) AS l_receiptdate,
          (['DELIVER IN PERSON','COLLECT COD','NONE','TAKE BACK RETURN'])[i % 4 + 1] AS l_shipinstruct,
          (['REG AIR','AIR','RAIL','SHIP','TRUCK','MAIL','FOB'])[i % 7 + 1] AS l_shipmode,
          substr('carefully final deposits detect slyly agai quickly regular packages wake furiously ironic ideas among the',
                 (i % 40)::INTEGER + 1, 10 + (i % 33)::INTEGER) AS l_comment
        FROM range({rows}) t(i)
        """);

    public const string PostgresTableDdl = """
        l_orderkey BIGINT, l_partkey BIGINT, l_suppkey BIGINT, l_linenumber INTEGER,
        l_quantity NUMERIC(15,2), l_extendedprice NUMERIC(15,2), l_discount NUMERIC(15,2), l_tax NUMERIC(15,2),
        l_returnflag VARCHAR, l_linestatus VARCHAR, l_shipdate DATE, l_commitdate DATE, l_receiptdate DATE,
        l_shipinstruct VARCHAR, l_shipmode VARCHAR, l_comment VARCHAR
        """;

    /// <summary>Writes the Parquet file for <paramref name="rows"/> rows unless it is already cached; returns its path.</summary>
    public static string EnsureParquet(string dataDir, long rows)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(Path.GetFullPath(dataDir), $"lineitem_{rows}.parquet");
        if (File.Exists(path)) return path;
        var temp = path + ".tmp";
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"COPY ({SelectSql(rows)}) TO '{temp}' (FORMAT parquet, ROW_GROUP_SIZE 122880)";
            cmd.ExecuteNonQuery();
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>Writes a CSV (with header) of the Parquet file, for PostgreSQL's COPY; cached.</summary>
    public static string EnsureCsv(string parquet)
    {
        var path = Path.ChangeExtension(parquet, ".csv");
        if (File.Exists(path)) return path;
        var temp = path + ".tmp";
        using (var connection = new DuckDBConnection("DataSource=:memory:"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{temp}' (FORMAT csv, HEADER true)";
            cmd.ExecuteNonQuery();
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }
}
