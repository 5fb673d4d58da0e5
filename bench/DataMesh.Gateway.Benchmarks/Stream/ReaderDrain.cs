using System.Data.Common;

namespace DataMesh.Gateway.Benchmarks.Stream;

/// <summary>Reads every value of every row with a typed getter, as an application would.</summary>
public static class ReaderDrain
{
    private enum Kind { Int64, Int32, Int16, Decimal, String, DateTime, DateOnly, Double, Other }

    public static long Drain(DbDataReader reader, out long checksum)
    {
        var n = reader.FieldCount;
        var kinds = new Kind[n];
        for (var i = 0; i < n; i++)
        {
            var t = reader.GetFieldType(i);
            kinds[i] = t == typeof(long) ? Kind.Int64 : t == typeof(int) ? Kind.Int32 : t == typeof(short) ? Kind.Int16
                : t == typeof(decimal) ? Kind.Decimal : t == typeof(string) ? Kind.String : t == typeof(DateTime) ? Kind.DateTime
                : t == typeof(DateOnly) ? Kind.DateOnly : t == typeof(double) ? Kind.Double : Kind.Other;
        }
        long rows = 0, sum = 0;
        while (reader.Read())
        {
            for (var c = 0; c < n; c++)
            {
                if (reader.IsDBNull(c)) continue;
                sum += kinds[c] switch
                {
                    Kind.Int64 => reader.GetInt64(c),
                    Kind.Int32 => reader.GetInt32(c),
                    Kind.Int16 => reader.GetInt16(c),
                    Kind.Decimal => (long)reader.GetDecimal(c),
                    Kind.String => reader.GetString(c).Length,
                    Kind.DateTime => reader.GetDateTime(c).Day,
                    Kind.DateOnly => reader.GetFieldValue<DateOnly>(c).Day,
                    Kind.Double => (long)reader.GetDouble(c),
                    _ => reader.GetValue(c).GetHashCode() & 1,
                };
            }
            rows++;
        }
        checksum = sum;
        return rows;
    }

    public static string Describe(DbDataReader reader) =>
        string.Join(", ", Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}:{reader.GetFieldType(i).Name}"));
}
