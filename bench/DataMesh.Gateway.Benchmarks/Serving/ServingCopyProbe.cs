using System.Diagnostics;
using System.Globalization;
using DataMesh.Gateway.Benchmarks.Compare;
using DataMesh.Gateway.Benchmarks.Governed;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Engine.Serving;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Benchmarks.Serving;

/// <summary>
/// The serving copy of the lineitem asset (<see cref="ServingCopyBuilder"/>, clustered by ship date, ART index on the
/// order key): its build time against one full scan of the Parquet file, its size, and — in process, on one connection
/// with the copy attached — the consumer's governed point lookup and Q6 (the planner's rewritten SQL) over the files
/// and over the copy, side by side: what the copy gives before the server uses it.
/// </summary>
public static class ServingCopyProbe
{
    public sealed record Result(ServingCopy Copy, Measurement FullScan, long ParquetBytes, Measurement PointFiles, Measurement PointCopy,
        Measurement KeyOnlyCopy, Measurement Q6Files, Measurement Q6Copy, bool Agree);

    public static Result Run(CompareContext context, string dataDir, int threads, int iterations)
    {
        var parquet = context.Parquet;
        var target = Path.Combine(Path.GetFullPath(dataDir), "serving-copies", Path.GetFileNameWithoutExtension(parquet) + ".duckdb");
        using var connection = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        connection.Open();
        Exec(connection, $"SET threads = {threads}");
        var fullScan = new Measurement("one full scan of the Parquet file (every column)", "in-process", new Samples());
        QueryRunner.Time(fullScan, () => Drain(connection, $"SELECT max(COLUMNS(*)) FROM read_parquet({DuckDbEngine.Literal(parquet)})"));
        var copy = ServingCopyBuilder.Build(new ServingCopyRequest([parquet], ["l_shipdate"], ["l_orderkey"], target, threads, "8GB"));
        ServingHarness.Log(string.Create(CultureInfo.InvariantCulture,
            $"serving copy: {copy.Rows:N0} rows, {copy.Bytes / 1048576.0:F0} MiB in {copy.Elapsed.TotalSeconds:F1} s; full scan {fullScan.Ms}"));

        Exec(connection, $"ATTACH {DuckDbEngine.Literal(target)} AS serving (READ_ONLY)");
        var source = $"read_parquet({DuckDbEngine.Literal(parquet)})";
        string OverCopy(string sql) => sql.Contains(source, StringComparison.Ordinal)
            ? sql.Replace(source, $"serving.main.{ServingCopyBuilder.Table}", StringComparison.Ordinal)
            : throw new InvalidOperationException("the rewritten SQL does not read the Parquet source as expected");
        var random = new Random(18);
        var pointFiles = new Measurement("governed point lookup (rewritten SQL)", "files", new Samples());
        var pointCopy = new Measurement("governed point lookup (rewritten SQL)", "serving copy", new Samples());
        // Profile only, not a governed query: the key predicate alone on the copy, which DuckDB answers from the ART.
        var keyOnly = new Measurement("ungoverned lookup by key alone (profile)", "serving copy", new Samples());
        var agree = true;
        for (var i = 0; i < iterations; i++)
        {
            var key = random.NextInt64(1, context.Rows / 4 + 1);
            var sql = context.Plan($"SELECT {TpchQueries.VisibleColumns} FROM bench.lineitem WHERE l_orderkey = {key}").Sql;
            QueryRunner.Time(pointFiles, () => Drain(connection, sql));
            var before = pointFiles.Checksum;
            QueryRunner.Time(pointCopy, () => Drain(connection, OverCopy(sql)));
            agree &= pointCopy.Checksum == before;
            QueryRunner.Time(keyOnly, () => Drain(connection, $"SELECT {TpchQueries.VisibleColumns} FROM serving.main.{ServingCopyBuilder.Table} WHERE l_orderkey = {key}"));
        }
        var q6 = context.Plan(TpchQueries.On(TpchQueries.Q6, "bench.lineitem")).Sql;
        var q6Files = new Measurement("Q6 (rewritten SQL)", "files", new Samples());
        var q6Copy = new Measurement("Q6 (rewritten SQL)", "serving copy", new Samples());
        for (var i = 0; i < 6; i++)
        {
            QueryRunner.Time(q6Files, () => Drain(connection, q6));
            QueryRunner.Time(q6Copy, () => Drain(connection, OverCopy(q6)));
        }
        agree &= q6Files.Checksum == q6Copy.Checksum && pointFiles.Ok && pointCopy.Ok && q6Files.Ok && q6Copy.Ok;
        ServingHarness.Log($"in process: point files {pointFiles.Ms}; copy {pointCopy.Ms}; key alone {keyOnly.Ms}; Q6 files {q6Files.Ms}; copy {q6Copy.Ms}; agree {agree}");
        return new Result(copy, fullScan, new FileInfo(parquet).Length, pointFiles, pointCopy, keyOnly, q6Files, q6Copy, agree);
    }

    private static (long Rows, decimal Checksum) Drain(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        return ResultChecksum.Of(reader);
    }

    private static void Exec(DuckDBConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
