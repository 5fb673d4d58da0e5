using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// N clients, each with its own connection, running a mix of point lookups (parameterised, so one cached rewrite)
/// and Q6-shaped scans until a deadline; repeated for each client count. Reports throughput, point and scan
/// latencies and errors by SQLSTATE. Loopback only, bounded in time. <c>scanPercent</c> 0 gives point lookups only.
/// </summary>
public static class ConcurrencyLoad
{
    public sealed record Level(string System, int Clients, double Seconds, long Queries, Samples Point, Samples Scan, IReadOnlyDictionary<string, int> Errors)
    {
        public double Qps => Queries / Seconds;
    }

    public const int ScanPercent = 5;

    public static List<Level> Run(string system, string connectionString, string table, long rows, IReadOnlyList<int> clientCounts, TimeSpan perLevel,
        int scanPercent = ScanPercent)
    {
        var point = TpchQueries.On(TpchQueries.PointParameterised, table);
        var scan = TpchQueries.On("SELECT sum(l_extendedprice) AS revenue, count(*) AS n FROM {0} WHERE l_shipdate >= DATE '1994-01-01' "
            + "AND l_shipdate < DATE '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24", table);
        var levels = new List<Level>();
        foreach (var clients in clientCounts)
        {
            var pointMs = new ConcurrentBag<double>();
            var scanMs = new ConcurrentBag<double>();
            var errors = new ConcurrentDictionary<string, int>();
            long queries = 0;
            var start = new Barrier(clients + 1);
            long deadlineTicks = 0; // set once every client is connected
            var threads = Enumerable.Range(0, clients).Select(c => new Thread(() =>
            {
                var random = new Random(1000 + c);
                using var connection = new NpgsqlConnection(connectionString);
                connection.Open();
                using var pointCmd = new NpgsqlCommand(point, connection);
                var key = new NpgsqlParameter<long> { TypedValue = 1 };
                pointCmd.Parameters.Add(key);
                using var scanCmd = new NpgsqlCommand(scan, connection);
                start.SignalAndWait();
                while (Volatile.Read(ref deadlineTicks) == 0) Thread.Yield();
                var deadline = new DateTime(Volatile.Read(ref deadlineTicks), DateTimeKind.Utc);
                var sw = new Stopwatch();
                for (var n = 0; n < 1_000_000 && DateTime.UtcNow < deadline; n++)
                {
                    var isScan = random.Next(100) < scanPercent;
                    sw.Restart();
                    try
                    {
                        if (isScan) Drain(scanCmd);
                        else
                        {
                            key.TypedValue = random.NextInt64(1, rows / 4 + 1);
                            Drain(pointCmd);
                        }
                        (isScan ? scanMs : pointMs).Add(sw.Elapsed.TotalMilliseconds);
                        Interlocked.Increment(ref queries);
                    }
                    catch (PostgresException e)
                    {
                        errors.AddOrUpdate(e.SqlState, 1, (_, v) => v + 1);
                    }
                    catch (NpgsqlException e)
                    {
                        errors.AddOrUpdate("client: " + e.GetType().Name, 1, (_, v) => v + 1);
                        break; // the connection is gone
                    }
                }
            }) { IsBackground = true }).ToList();
            foreach (var t in threads) t.Start();
            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            Volatile.Write(ref deadlineTicks, (DateTime.UtcNow + perLevel).Ticks);
            foreach (var t in threads) t.Join();
            var seconds = clock.Elapsed.TotalSeconds;
            var p = new Samples(); p.AddRange(pointMs);
            var s = new Samples(); s.AddRange(scanMs);
            var level = new Level(system, clients, seconds, queries, p, s, new Dictionary<string, int>(errors));
            CompareHarness.Log($"{system} x{clients}: {level.Qps:F0} q/s; point {p}; scan {s}; errors {errors.Values.Sum()}");
            levels.Add(level);
        }
        return levels;
    }

    private static void Drain(NpgsqlCommand cmd)
    {
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
            for (var i = 0; i < reader.FieldCount; i++) reader.GetValue(i);
    }
}
