using System.Data.Common;

namespace DataMesh.Gateway.Benchmarks.Governed;

/// <summary>
/// Row count and the exact sum of every numeric value, so the gateway's answer can be compared with the in-process
/// one (Npgsql and DuckDB.NET agree on numbers, not on date or string types).
/// </summary>
public static class ResultChecksum
{
    public static (long Rows, decimal Checksum) Of(DbDataReader reader)
    {
        long rows = 0;
        decimal sum = 0;
        while (reader.Read())
        {
            for (var c = 0; c < reader.FieldCount; c++)
            {
                if (reader.IsDBNull(c)) continue;
                sum += reader.GetValue(c) switch
                {
                    long v => v,
                    int v => v,
                    short v => v,
                    decimal v => v,
                    double v => (decimal)v,
                    System.Numerics.BigInteger v => (decimal)v,
                    _ => 0,
                };
            }
            rows++;
        }
        return (rows, sum);
    }
}
