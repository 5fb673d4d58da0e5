using System.Diagnostics;
using DataMesh.Gateway.Benchmarks.Governed;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>Times whole executions (every value read) through Npgsql or the in-process instance.</summary>
public static class QueryRunner
{
    public static void Time(Measurement into, Func<(long Rows, decimal Checksum)> query)
    {
        if (into.Error is not null) return;
        var sw = Stopwatch.StartNew();
        try
        {
            var (rows, checksum) = query();
            into.Ms.Add(sw.Elapsed.TotalMilliseconds);
            into.Rows = rows;
            into.Checksum = checksum;
        }
        catch (Exception e) when (e is PostgresException or NpgsqlException or DuckDB.NET.Data.DuckDBException)
        {
            into.Error = e is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : e.Message.Split('\n')[0];
        }
    }

    public static (long Rows, decimal Checksum) Npgsql(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var p in parameters) cmd.Parameters.Add(new NpgsqlParameter { Value = p });
        using var reader = cmd.ExecuteReader();
        return ResultChecksum.Of(reader);
    }

    /// <summary>Equal up to a relative 1e-6: PostgreSQL averages numerics exactly, DuckDB in double.</summary>
    public static bool Close(decimal a, decimal b) =>
        a == b || Math.Abs(a - b) <= 1e-6m * Math.Max(Math.Abs(a), Math.Abs(b));
}
