using System.Data;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using DataMesh.Gateway.Authentication;
using DataMesh.Gateway.Engine;
using DataMesh.Gateway.Protocol.Messages.Backend;
using DataMesh.Gateway.Protocol.Messages.Frontend;
using DataMesh.Gateway.Server;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Stream;

/// <summary>
/// End-to-end streaming harness: one lineitem-like Parquet file read (a) through the gateway by Npgsql, (b) through the
/// gateway by a raw protocol client, (c) in-process by DuckDB.NET, plus the server's encode path alone, optional
/// PostgreSQL, and server memory under a slow reader.
/// </summary>
public static class StreamHarness
{
    private sealed record Options(long Rows, string DataDir, string? Postgres, int Runs, int SlowSeconds, string? Markdown, int Threads);

    private sealed record Result(string Workload, int Columns, long Rows, double Seconds, long? WireBytes, double CpuSeconds)
    {
        public double RowsPerSecond => Rows / Seconds;
    }

    private const string User = "bench";
    private const string Password = "bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        var sw = Stopwatch.StartNew();
        Log($"generating/caching {options.Rows:N0}-row Parquet under {options.DataDir}");
        var parquet = LineitemData.EnsureParquet(options.DataDir, options.Rows);
        Log($"parquet ready ({new FileInfo(parquet).Length / 1048576.0:F1} MiB) in {sw.Elapsed.TotalSeconds:F1}s");

        var serverDir = GatewayProcess.ServerDir(options.DataDir, parquet, "server");
        var (engine, server, _) = GatewayProcess.Start(parquet, serverDir, options.Threads);
        using var engineScope = engine;
        var endPoint = server.LocalEndPoint;
        var gatewayCs = $"Host=127.0.0.1;Port={endPoint.Port};Username={User};Password={Password};Database=bench;SSL Mode=Disable;Pooling=false;Timeout=60;Command Timeout=0";
        var (child, childEndPoint) = GatewayProcess.Spawn(parquet, GatewayProcess.ServerDir(options.DataDir, parquet, "server-child"), options.Threads);
        var childCs = $"Host=127.0.0.1;Port={childEndPoint.Port};Username={User};Password={Password};Database=bench;SSL Mode=Disable;Pooling=false;Timeout=60;Command Timeout=0";

        var results = new List<Result>();
        var notes = new List<string>();
        string? pgTable = null;
        if (options.Postgres is { } pgcs)
        {
            pgTable = LoadPostgres(pgcs, parquet, options.Rows);
        }

        foreach (var columns in new[] { 16, 4 })
        {
            var projection = columns == 16 ? "*" : LineitemData.FourColumns;
            var gatewaySql = $"SELECT {projection} FROM bench.lineitem";
            var localSql = $"SELECT {projection} FROM read_parquet({DuckDbEngine.Literal(parquet)})";

            results.Add(Measure("In-process DuckDB.NET reader (baseline)", columns, options, localSql, sql => InProcessDuckDb(sql, options.Threads)));
            results.Add(Measure("Server encode only: QueryCursor → discard (binary)", columns, options, gatewaySql, sql => EngineEncode(engine, sql, FormatCode.Binary)));
            results.Add(Measure("Server encode only: QueryCursor → discard (text)", columns, options, gatewaySql, sql => EngineEncode(engine, sql, FormatCode.Text)));
            results.Add(Measure("Gateway → raw client, binary (extended protocol)", columns, options, gatewaySql, sql => Raw(endPoint, sql, binary: true)));
            results.Add(Measure("Gateway → raw client, text (simple Query)", columns, options, gatewaySql, sql => Raw(endPoint, sql, binary: false)));
            results.Add(Measure("Gateway → Npgsql data reader", columns, options, gatewaySql, sql => NpgsqlRead(gatewayCs, sql)));
            results.Add(Measure("Gateway → Npgsql, SequentialAccess reader", columns, options, gatewaySql, sql => NpgsqlRead(gatewayCs, sql, CommandBehavior.SequentialAccess)));
            results.Add(Measure("Gateway → Npgsql, Read() only (no values read)", columns, options, gatewaySql, sql => NpgsqlReadOnly(gatewayCs, sql)));
            results.Add(Measure("Gateway (own process) → raw client, binary", columns, options, gatewaySql, sql => Raw(childEndPoint, sql, binary: true)));
            results.Add(Measure("Gateway (own process) → Npgsql data reader", columns, options, gatewaySql, sql => NpgsqlRead(childCs, sql)));
            if (options.Postgres is { } pg && pgTable is not null)
            {
                var pgSql = $"SELECT {projection} FROM {pgTable}";
                var pgBuilder = new NpgsqlConnectionStringBuilder(pg);
                var pgEndPoint = new IPEndPoint(IPAddress.Parse(pgBuilder.Host == "localhost" ? "127.0.0.1" : pgBuilder.Host!), pgBuilder.Port);
                results.Add(Measure("PostgreSQL 15 → Npgsql data reader", columns, options, pgSql, sql => NpgsqlRead(pg, sql)));
                results.Add(Measure("PostgreSQL 15 → raw client, binary", columns, options, pgSql,
                    sql => Raw(pgEndPoint, sql, binary: true, pgBuilder.Username!, pgBuilder.Password!, pgBuilder.Database!)));
            }
        }

        var memory = SlowReader(server, endPoint, options);

        await server.StopAsync();
        child.StandardInput.Close();
        if (!child.WaitForExit(10_000)) child.Kill();
        var markdown = Render(options, parquet, results, memory, notes);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (options.Markdown is { } path) await File.WriteAllTextAsync(path, markdown);
        Log($"done in {sw.Elapsed.TotalSeconds:F0}s");
        return 0;
    }

    // ---------------------------------------------------------------- workloads

    private static (long Rows, long? Bytes) InProcessDuckDb(string sql, int threads)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var set = connection.CreateCommand())
        {
            set.CommandText = $"SET threads = {threads}";
            set.ExecuteNonQuery();
        }
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.UseStreamingMode = true;
        using var reader = cmd.ExecuteReader();
        return (ReaderDrain.Drain(reader, out _), null);
    }

    private static (long Rows, long? Bytes) EngineEncode(DuckDbEngine engine, string sql, FormatCode format)
    {
        using var session = engine.OpenSession();
        using var query = session.Prepare(sql);
        var sink = new DiscardingBufferWriter();
        var writer = new BackendWriter(sink);
        FormatCode[] formats = [format];
        using var cursor = session.Execute(query, []);
        while (cursor.WriteRows(writer, formats, 0, 64 * 1024) != Engine.Execution.CursorStop.Completed) writer.ResetPending();
        return (cursor.RowsAffected, sink.BytesWritten);
    }

    private static (long Rows, long? Bytes) Raw(IPEndPoint endPoint, string sql, bool binary, string user = User, string password = Password, string database = "bench")
    {
        using var client = RawPgClient.Connect(endPoint, user, password, database);
        var before = client.BytesReceived;
        if (binary) client.SendBinaryQuery(sql);
        else client.SendSimpleQuery(sql);
        client.DrainUntilReady(out var rows);
        return (rows, client.BytesReceived - before);
    }

    private static (long Rows, long? Bytes) NpgsqlRead(string connectionString, string sql, CommandBehavior behavior = CommandBehavior.Default)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        using var reader = cmd.ExecuteReader(behavior);
        return (ReaderDrain.Drain(reader, out _), null);
    }

    private static (long Rows, long? Bytes) NpgsqlReadOnly(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        using var reader = cmd.ExecuteReader();
        long rows = 0;
        while (reader.Read()) rows++;
        return (rows, null);
    }

    private static Result Measure(string name, int columns, Options options, string sql, Func<string, (long Rows, long? Bytes)> run)
    {
        Log($"[{columns} cols] {name}: warm-up");
        run(sql + " LIMIT 200000");
        Result? best = null;
        for (var i = 0; i < options.Runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var (rows, bytes) = run(sql);
            sw.Stop();
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            if (rows != options.Rows) throw new InvalidOperationException($"{name}: expected {options.Rows} rows, got {rows}");
            var r = new Result(name, columns, rows, sw.Elapsed.TotalSeconds, bytes, cpuSeconds);
            Log($"[{columns} cols] {name}: run {i + 1}: {r.Seconds:F2}s, {r.RowsPerSecond / 1e6:F3}M rows/s" + (bytes is { } b ? $", {b / 1048576.0 / r.Seconds:F0} MiB/s" : ""));
            if (best is null || r.Seconds < best.Seconds) best = r;
        }
        return best!;
    }

    // ---------------------------------------------------------------- slow reader

    private sealed record MemorySample(double Seconds, long GcHeap, long WorkingSet);

    private sealed record MemoryReport(List<MemorySample> Samples, long BytesRead, double Seconds, long RowsRead, double ReleaseSeconds, int ActiveAfter);

    /// <summary>The file's rows repeated (UNION ALL) until the result holds at least 60M rows: the issue's slow-reader size.</summary>
    private static string SlowResultSql(long rows) =>
        string.Join(" UNION ALL ", Enumerable.Repeat("SELECT * FROM bench.lineitem", SlowResultCopies(rows)));

    private static int SlowResultCopies(long rows) => (int)Math.Max(1, (60_000_000 + rows - 1) / rows);

    private static long SlowResultRows(long rows) => rows * SlowResultCopies(rows);

    private static MemoryReport SlowReader(GatewayServer server, IPEndPoint endPoint, Options options)
    {
        Log($"slow reader: {options.SlowSeconds}s at ~1 MB/s (16 KiB per 16 ms) over a {SlowResultRows(options.Rows):N0}-row result");
        using var client = RawPgClient.Connect(endPoint, User, Password, "bench", receiveBuffer: 64 * 1024);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var samples = new List<MemorySample>();
        var sw = Stopwatch.StartNew();
        void Sample() => samples.Add(new MemorySample(sw.Elapsed.TotalSeconds, GC.GetTotalMemory(false), Environment.WorkingSet));
        Sample();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(250, stop.Token); } catch (OperationCanceledException) { break; }
                lock (samples) Sample();
            }
        });
        client.MaxReceive = 16 * 1024;
        client.DelayPerReceiveMs = 16;
        client.Deadline = DateTime.UtcNow.AddSeconds(options.SlowSeconds);
        client.SendSimpleQuery(SlowResultSql(options.Rows));
        var finished = client.DrainUntilReady(out var rows);
        var seconds = sw.Elapsed.TotalSeconds;
        stop.Cancel();
        sampler.Wait();
        if (finished) Log("slow reader: the whole result arrived before the deadline (use more rows for a meaningful test)");
        var bytes = client.BytesReceived;
        var release = Stopwatch.StartNew();
        client.Abort();
        while (server.ActiveConnections > 0 && release.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
        Log($"slow reader: read {bytes / 1048576.0:F1} MiB ({rows:N0} rows) in {seconds:F1}s; connection released {release.Elapsed.TotalMilliseconds:F0} ms after abort");
        return new MemoryReport(samples, bytes, seconds, rows, release.Elapsed.TotalSeconds, server.ActiveConnections);
    }

    // ---------------------------------------------------------------- PostgreSQL

    internal static string LoadPostgres(string connectionString, string parquet, long rows)
    {
        var table = $"lineitem_{rows}";
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        long existing = -1;
        using (var check = new NpgsqlCommand($"SELECT to_regclass('{table}') IS NOT NULL", connection))
        {
            if ((bool)check.ExecuteScalar()!)
            {
                using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
                existing = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
        }
        if (existing == rows)
        {
            Log($"postgres: {table} already loaded");
            return table;
        }
        var csv = LineitemData.EnsureCsv(parquet);
        Log($"postgres: loading {table} from {csv}");
        var sw = Stopwatch.StartNew();
        Exec(connection, $"DROP TABLE IF EXISTS {table}");
        Exec(connection, $"CREATE TABLE {table} ({LineitemData.PostgresTableDdl})");
        using (var writer = connection.BeginTextImport($"COPY {table} FROM STDIN (FORMAT csv, HEADER true)"))
        using (var reader = new StreamReader(csv, Encoding.UTF8))
        {
            var buffer = new char[1 << 16];
            int n;
            while ((n = reader.Read(buffer, 0, buffer.Length)) > 0) writer.Write(buffer, 0, n);
        }
        Exec(connection, $"VACUUM ANALYZE {table}");
        Log($"postgres: loaded in {sw.Elapsed.TotalSeconds:F0}s");
        return table;
    }

    private static void Exec(NpgsqlConnection connection, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        cmd.ExecuteNonQuery();
    }

    // ---------------------------------------------------------------- report

    private static string Render(Options options, string parquet, List<Result> results, MemoryReport memory, List<string> notes)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Rows: {options.Rows:N0}; Parquet: `{Path.GetFileName(parquet)}` ({new FileInfo(parquet).Length / 1048576.0:F1} MiB); DuckDB threads: {options.Threads}; best of {options.Runs} run(s) after a 200k-row warm-up; server, clients and DuckDB share one process and the machine's cores.");
        sb.AppendLine();
        foreach (var columns in new[] { 16, 4 })
        {
            var set = results.Where(r => r.Columns == columns).ToList();
            var baseline = set.First(r => r.Workload.StartsWith("In-process", StringComparison.Ordinal));
            var binaryBytes = set.FirstOrDefault(r => r.Workload.StartsWith("Gateway → raw client, binary", StringComparison.Ordinal))?.WireBytes;
            var pgNpgsql = set.FirstOrDefault(r => r.Workload.StartsWith("PostgreSQL 15 → Npgsql", StringComparison.Ordinal));
            sb.AppendLine(inv, $"### {columns} columns{(columns == 4 ? $" ({LineitemData.FourColumns})" : "")}");
            sb.AppendLine();
            sb.AppendLine("| Workload | Time (s) | Rows/s | MB/s | Rate vs in-process | Time vs in-process | Harness CPU (cores) |" + (pgNpgsql is null ? "" : " Rate vs PG→Npgsql |"));
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|" + (pgNpgsql is null ? "" : "---:|"));
            foreach (var r in set)
            {
                var bytes = r.WireBytes ?? binaryBytes;
                var mb = bytes is { } b ? (b / 1e6 / r.Seconds).ToString("F0", inv) + (r.WireBytes is null ? "*" : "") : "–";
                sb.Append(inv, $"| {r.Workload} | {r.Seconds:F2} | {r.RowsPerSecond / 1e6:F3} M | {mb} | {r.RowsPerSecond / baseline.RowsPerSecond:F2}× | {r.Seconds / baseline.Seconds:F2}× | {r.CpuSeconds / r.Seconds:F2} |");
                if (pgNpgsql is not null) sb.Append(inv, $" {r.RowsPerSecond / pgNpgsql.RowsPerSecond:F2}× |");
                sb.AppendLine();
            }
            sb.AppendLine();
            if (binaryBytes is { } bb) sb.AppendLine(inv, $"Binary DataRow stream: {bb / (double)options.Rows:F1} bytes/row. `*` = MB/s computed from that binary wire size (the workload itself does not count bytes).");
            sb.AppendLine();
        }

        sb.AppendLine("### Server memory with a slow reader");
        sb.AppendLine();
        var first = memory.Samples[0];
        var maxHeap = memory.Samples.Max(s => s.GcHeap);
        var maxWs = memory.Samples.Max(s => s.WorkingSet);
        var last = memory.Samples[^1];
        var steady = memory.Samples.Where(s => s.Seconds >= 2).ToList();
        sb.AppendLine(inv, $"Raw client, a {SlowResultRows(options.Rows):N0}-row result (`SELECT * FROM bench.lineitem` UNION ALL'd {SlowResultCopies(options.Rows)} times; 16 columns, text), receive buffer 64 KiB, reading 16 KiB per 16 ms (~1 MB/s) for {options.SlowSeconds} s, then aborting. Read {memory.BytesRead / 1048576.0:F1} MiB = {memory.RowsRead:N0} rows ({memory.BytesRead / 1048576.0 / memory.Seconds:F2} MiB/s). Sampled every 250 ms ({memory.Samples.Count} samples) in the process that hosts the server.");
        sb.AppendLine();
        sb.AppendLine("| Metric | Start | Max | End | Max − start | Max − min after 2 s |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        static string M(long v) => (v / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB";
        sb.AppendLine(inv, $"| GC heap (`GC.GetTotalMemory(false)`) | {M(first.GcHeap)} | {M(maxHeap)} | {M(last.GcHeap)} | {M(maxHeap - first.GcHeap)} | {M(steady.Count > 0 ? steady.Max(s => s.GcHeap) - steady.Min(s => s.GcHeap) : 0)} |");
        sb.AppendLine(inv, $"| Working set (`Environment.WorkingSet`) | {M(first.WorkingSet)} | {M(maxWs)} | {M(last.WorkingSet)} | {M(maxWs - first.WorkingSet)} | {M(steady.Count > 0 ? steady.Max(s => s.WorkingSet) - steady.Min(s => s.WorkingSet) : 0)} |");
        sb.AppendLine();
        var timeline = memory.Samples.Where((s, i) => i % 8 == 0 || i == memory.Samples.Count - 1)
            .Select(s => $"{s.Seconds:F0}s: heap {s.GcHeap / 1048576.0:F1} / WS {s.WorkingSet / 1048576.0:F0}");
        sb.AppendLine("Timeline (MiB): " + string.Join("; ", timeline));
        sb.AppendLine();
        sb.AppendLine(inv, $"After the abort the server released the connection in {memory.ReleaseSeconds * 1000:F0} ms (active connections afterwards: {memory.ActiveAfter}).");
        foreach (var n in notes) sb.AppendLine(n);
        return sb.ToString();
    }

    private static Options Parse(string[] args)
    {
        long rows = 6_000_000;
        var dataDir = Path.Combine("bench", "data");
        string? postgres = null, markdown = null;
        int runs = 2, slow = 30, threads = Environment.ProcessorCount;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--rows": rows = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--data-dir": dataDir = Next(); break;
                case "--postgres": postgres = Next(); break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--slow-seconds": slow = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--markdown": markdown = Next(); break;
                case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return new Options(rows, dataDir, string.IsNullOrWhiteSpace(postgres) ? null : postgres, runs, slow, markdown, threads);
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
