using System.Globalization;
using DataMesh.Gateway.Benchmarks.Stream;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Governed;

/// <summary>
/// Untimed checks that the governed path enforces what was approved, reported next to the figures: the excluded
/// column is refused, the consumer counts exactly the rows the filter admits, and whether the error oracle raises
/// when the fence is removed (i.e. whether the fence is what protects this filter shape here).
/// </summary>
public static class GovernanceProbes
{
    public static IReadOnlyList<string> Run(NpgsqlConnection consumer, InProcessInstance local, string parquet, string oracleUnfenced)
    {
        var results = new List<string>();
        var file = $"read_parquet('{parquet.Replace("'", "''", StringComparison.Ordinal)}')";

        var excluded = Try(() => Scalar(consumer, $"SELECT {GatewayProcess.ConsumerExcludedColumn} FROM bench.lineitem LIMIT 1"));
        results.Add($"`SELECT {GatewayProcess.ConsumerExcludedColumn} …` as the consumer: "
            + (excluded.StartsWith("error", StringComparison.Ordinal) ? $"refused ({excluded})" : $"**returned a value** ({excluded})"));

        var star = Try(() => Columns(consumer, "SELECT * FROM bench.lineitem LIMIT 1"));
        results.Add($"`SELECT *` as the consumer returns: {star}");

        var visible = Try(() => Scalar(consumer, "SELECT count(*) FROM bench.lineitem"));
        var expected = local.Execute($"SELECT count(*) FROM {file} WHERE {GatewayProcess.ConsumerRowFilter}");
        var all = local.Execute($"SELECT count(*) FROM {file}");
        var admitted = expected.Checksum.ToString("0", CultureInfo.InvariantCulture);
        results.Add($"`count(*)` as the consumer: {visible}; rows the filter admits: {admitted}; rows in the file: "
            + all.Checksum.ToString("0", CultureInfo.InvariantCulture) + (visible == admitted ? " (match)" : " — **MISMATCH**"));

        var oracle = Try(() => local.Execute(oracleUnfenced).Rows.ToString(CultureInfo.InvariantCulture) + " row(s)");
        results.Add($"chr() oracle on a hidden key, rewritten SQL with the fence removed, in process: {oracle}"
            + (oracle.StartsWith("error", StringComparison.Ordinal) ? " — the unfenced rewrite leaks; the fence is needed" : " — no error with this filter shape (the probe does not leak here)"));
        return results;
    }

    private static string Scalar(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "NULL";
    }

    private static string Columns(NpgsqlConnection c, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c);
        using var reader = cmd.ExecuteReader();
        return $"{reader.FieldCount} columns" + (Enumerable.Range(0, reader.FieldCount).Any(i => reader.GetName(i) == GatewayProcess.ConsumerExcludedColumn)
            ? $", **including {GatewayProcess.ConsumerExcludedColumn}**" : $", without {GatewayProcess.ConsumerExcludedColumn}");
    }

    private static string Try(Func<string> f)
    {
        try
        {
            return f();
        }
        catch (PostgresException e)
        {
            return $"error {e.SqlState}: {e.MessageText}";
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            return "error: " + e.Message.Split('\n')[0];
        }
    }
}
