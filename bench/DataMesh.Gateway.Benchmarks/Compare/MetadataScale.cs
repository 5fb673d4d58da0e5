using System.Diagnostics;
using System.Globalization;
using DataMesh.Gateway.Benchmarks.Stream;
using DuckDB.NET.Data;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// Metadata queries when the consumer is subscribed to many assets: psql's <c>\dt bench.*</c> (its exact text, as
/// psql 15 sends it) and pgjdbc's <c>getTables</c> (the real driver, Debian libpostgresql-jdbc-java). The assets are
/// created, published, requested and approved through the ordinary admin commands.
/// </summary>
public static class MetadataScale
{
    /// <summary>psql 15's query for <c>\dt bench.*</c>, captured with <c>psql -E</c>.</summary>
    public const string PsqlDt = """
        SELECT n.nspname as "Schema",
          c.relname as "Name",
          CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'i' THEN 'index' WHEN 'S' THEN 'sequence' WHEN 't' THEN 'TOAST table' WHEN 'f' THEN 'foreign table' WHEN 'p' THEN 'partitioned table' WHEN 'I' THEN 'partitioned index' END as "Type",
          pg_catalog.pg_get_userbyid(c.relowner) as "Owner"
        FROM pg_catalog.pg_class c
             LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam
        WHERE c.relkind IN ('r','p','t','s','')
          AND n.nspname OPERATOR(pg_catalog.~) '^(bench)$' COLLATE pg_catalog.default
        ORDER BY 1,2;
        """;

    public sealed record Result(int Assets, Measurement PsqlDt, Measurement JdbcGetTables, double SetupSeconds);

    public static Result Run(CompareOptions options, string parquet, int assets, int iterations)
    {
        var sw = Stopwatch.StartNew();
        var serverDir = GatewayProcess.ServerDir(options.DataDir, parquet, $"server-metadata-{assets}");
        using (var catalog = GatewayProcess.OpenCatalog(parquet, serverDir, options.Threads))
            Subscribe(catalog, parquet, assets);
        var setup = sw.Elapsed.TotalSeconds;
        CompareHarness.Log($"metadata: {assets} subscribed assets ready in {setup:F0}s");
        var (process, endpoint) = GatewayProcess.Spawn(parquet, serverDir, options.Threads);
        try
        {
            var psql = new Measurement($"psql \\dt, {assets} assets", "gateway", new Samples());
            var cs = GatewayProcess.ConsumerConnectionString(endpoint.Port, timeoutSeconds: 120);
            using (var connection = new NpgsqlConnection(cs))
            {
                connection.Open();
                for (var i = 0; i < iterations + 5; i++)
                {
                    var target = i < 5 ? new Measurement("", "", new Samples()) : psql;
                    QueryRunner.Time(target, () => QueryRunner.Npgsql(connection, PsqlDt));
                    if (target.Error is not null) { psql.Error = target.Error; break; }
                    if (i >= 5) psql.Rows = target.Rows;
                }
            }
            CompareHarness.Log($"metadata: psql \\dt {psql.Ms} rows {psql.Rows} {psql.Error}");
            var jdbc = Jdbc(options, endpoint.Port, assets, iterations);
            return new Result(assets, psql, jdbc, setup);
        }
        finally
        {
            GatewayProcess.Stop(process, TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>Publishes <paramref name="assets"/> small assets in project bench and subscribes the consumer to each.</summary>
    private static void Subscribe(DataMesh.Gateway.Admin.AdminCatalog catalog, string parquet, int assets)
    {
        var file = Path.Combine(Path.GetDirectoryName(parquet)!, "wide_asset.parquet");
        if (!File.Exists(file))
        {
            using var duck = new DuckDBConnection("DataSource=:memory:");
            duck.Open();
            using var cmd = duck.CreateCommand();
            cmd.CommandText = $"COPY (SELECT i AS id, 'name ' || i AS name, i * 1.5 AS amount, DATE '2024-01-01' + i::INTEGER AS day, "
                + $"i % 7 = 0 AS flag, uuid() AS ref, now() AS at, 'x' AS note FROM range(100) t(i)) TO '{file}' (FORMAT parquet)";
            cmd.ExecuteNonQuery();
        }
        var approved = catalog.Catalog.Snapshot.SubscriptionsOf(GatewayProcess.ConsumerProject).Count(s => s.StoredStatus == DataMesh.Gateway.Catalog.Model.SubscriptionStatus.Approved && s.AssetName.StartsWith("wide_", StringComparison.Ordinal));
        for (var i = approved; i < assets; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"wide_{i:D5}");
            GatewayProcess.Admin(catalog, GatewayProcess.User, $"CREATE ASSET bench.{name} FROM 'wide_asset.parquet' DESCRIPTION 'wide asset {i}'");
            GatewayProcess.Admin(catalog, GatewayProcess.User, $"PUBLISH ASSET bench.{name}");
            var request = GatewayProcess.Admin(catalog, GatewayProcess.ConsumerUser,
                $"REQUEST SUBSCRIPTION TO bench.{name} FOR PROJECT {GatewayProcess.ConsumerProject} JUSTIFICATION 'metadata benchmark'");
            if (request is not null)
                GatewayProcess.Admin(catalog, GatewayProcess.User, $"APPROVE SUBSCRIPTION {(long)request.Rows[0][0]!}");
        }
    }

    private static Measurement Jdbc(CompareOptions options, int port, int assets, int iterations)
    {
        var result = new Measurement($"JDBC getTables, {assets} assets", "gateway", new Samples());
        const string jar = "/usr/share/java/postgresql.jar";
        var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../clients/JdbcMetadataTiming.java"));
        if (!File.Exists(jar) || !File.Exists(source)) { result.Error = $"needs {jar} and javac (libpostgresql-jdbc-java)"; return result; }
        var classes = Path.Combine(Path.GetFullPath(options.DataDir), "jdbc-classes");
        Directory.CreateDirectory(classes);
        var (compiled, compileOut) = Run("javac", ["-cp", jar, "-d", classes, source], 120);
        if (compiled != 0) { result.Error = "javac: " + compileOut.Trim(); return result; }
        var url = $"jdbc:postgresql://127.0.0.1:{port}/{GatewayProcess.ConsumerProject}?sslmode=disable";
        var (exit, output) = Run("java", ["-cp", $"{jar}:{classes}", "JdbcMetadataTiming", url, GatewayProcess.ConsumerUser,
            GatewayProcess.ConsumerPassword, iterations.ToString(CultureInfo.InvariantCulture)], 600);
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("ROWS ", StringComparison.Ordinal)) result.Rows = long.Parse(line[5..], CultureInfo.InvariantCulture);
            else if (line.StartsWith("MS ", StringComparison.Ordinal)) result.Ms.Add(double.Parse(line[3..], CultureInfo.InvariantCulture));
        }
        if (exit != 0) result.Error = output.Split('\n').FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal))?.Trim() ?? $"java exit {exit}";
        CompareHarness.Log($"metadata: JDBC getTables {result.Ms} rows {result.Rows} {result.Error}");
        return result;
    }

    private static (int Exit, string Output) Run(string file, string[] args, int timeoutSeconds)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000)) { process.Kill(); return (-1, "timed out"); }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
