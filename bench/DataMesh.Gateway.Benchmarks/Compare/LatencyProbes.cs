using System.Diagnostics;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// Latencies where the gateway's own work is the whole story: a new connection (TCP, startup, SCRAM-SHA-256,
/// session start with grant resolution) plus its first query, and a point-ish governed query whose rewrite is cached,
/// against the same rewritten SQL in process.
/// </summary>
public static class LatencyProbes
{
    /// <summary>Open (no pool) + SCRAM + <c>SELECT 1</c> + close, alternating gateway and PostgreSQL.</summary>
    public static (Measurement Gateway, Measurement? Postgres) Connect(CompareContext context, int iterations)
    {
        var gateway = new Measurement("connect + SCRAM + first query", "gateway", new Samples());
        var pg = context.PostgresConsumer is null ? null : new Measurement("connect + SCRAM + first query", "postgres-rls", new Samples());
        for (var i = 0; i < iterations + 5; i++) // the first five warm both paths
        {
            var g = Once(context.GatewayConsumer());
            if (i >= 5) gateway.Ms.Add(g);
            if (pg is not null)
            {
                var p = Once(context.PostgresConsumer!);
                if (i >= 5) pg.Ms.Add(p);
            }
        }
        CompareHarness.Log($"connect: gateway {gateway.Ms}; postgres {pg?.Ms.ToString() ?? "-"}");
        return (gateway, pg);
    }

    private static double Once(string connectionString)
    {
        var sw = Stopwatch.StartNew();
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            using var cmd = new NpgsqlCommand("SELECT 1", connection);
            if (Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 1)
                throw new InvalidOperationException("SELECT 1 did not return 1");
        }
        return sw.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// The same point-ish query text again and again (a rewrite-cache hit after the first), through the gateway and,
    /// interleaved, the planner's rewritten SQL in process. The overhead is the difference of the medians.
    /// </summary>
    public static (Measurement Gateway, Measurement InProcess) PointOverhead(CompareContext context, int iterations)
    {
        var key = Governed.GovernedWorkloads.PointKey(context.Rows);
        var sql = $"SELECT {TpchQueries.VisibleColumns} FROM bench.lineitem WHERE l_orderkey = {key}";
        var plan = context.Plan(sql);
        var gateway = new Measurement("point-ish, cached rewrite", "gateway", new Samples());
        var local = new Measurement("point-ish, cached rewrite", "in-process", new Samples());
        using var connection = context.OpenGateway();
        for (var i = 0; i < iterations + 10; i++)
        {
            var target = i < 10 ? new Measurement("", "", new Samples()) : gateway;
            QueryRunner.Time(target, () => QueryRunner.Npgsql(connection, sql));
            var other = i < 10 ? new Measurement("", "", new Samples()) : local;
            QueryRunner.Time(other, () => context.InProcess.Execute(plan.Sql));
        }
        CompareHarness.Log($"point overhead: gateway {gateway.Ms}; in-process {local.Ms}");
        return (gateway, local);
    }
}
