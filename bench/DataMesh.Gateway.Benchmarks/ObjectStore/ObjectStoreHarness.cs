using System.Diagnostics;
using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DataMesh.Gateway.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.ObjectStore;

/// <summary>
/// `objectstore [--rows N] [--data-dir D] [--runs N] [--cold-runs N] [--markdown F]`: the same lineitem Parquet file as
/// an asset on a local-directory account and as an object on a local S3 server (s3rver), read through one gateway
/// side by side. Cold: the first query after a gateway start with an empty object cache (for the object store this
/// includes listing and fetching the object; the local file is in the page cache either way). Warm: the median of
/// the following runs, local and object store alternating, so both see the same machine load.
/// </summary>
public static class ObjectStoreHarness
{
    private const string Bucket = "bench";

    private static readonly (string Name, string Sql)[] Queries =
    [
        ("count + sums (2 columns, full scan)", "SELECT count(*), sum(l_extendedprice), avg(l_quantity) FROM lineitem"),
        ("Q6 (4 columns, filtered)", "SELECT sum(l_extendedprice * l_discount) FROM lineitem WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24"),
        ("Q1 (group by, 7 columns)", "SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), sum(l_extendedprice * (1 - l_discount)), avg(l_discount), count(*) FROM lineitem WHERE l_shipdate <= DATE '1998-09-02' GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = long.Parse(Option(args, "--rows") ?? "6000000", CultureInfo.InvariantCulture);
        var dataDir = Path.GetFullPath(Option(args, "--data-dir") ?? "bench/data");
        var runs = int.Parse(Option(args, "--runs") ?? "7", CultureInfo.InvariantCulture);
        var coldRuns = int.Parse(Option(args, "--cold-runs") ?? "3", CultureInfo.InvariantCulture);
        var markdown = Option(args, "--markdown");
        s_revalidate = double.Parse(Option(args, "--revalidate-seconds") ?? "0", CultureInfo.InvariantCulture);
        var root = RepositoryRoot();

        var parquet = LineitemData.EnsureParquet(dataDir, rows);
        var size = new FileInfo(parquet).Length;
        var work = Path.Combine(dataDir, "objectstore");
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        var localAccount = Path.Combine(work, "local-account");
        Directory.CreateDirectory(Path.Combine(localAccount, "on_disk"));
        File.Copy(parquet, Path.Combine(localAccount, "on_disk", "lineitem.parquet"));

        using var s3 = await S3rverProcess.StartAsync(root, Path.Combine(work, "s3rver"), Bucket);
        Console.WriteLine($"s3rver on {s3.Endpoint}; uploading {size / 1048576.0:F0} MiB");
        await UploadAsync(s3, "acct/on_s3/lineitem.parquet", parquet);

        var serverDir = Path.Combine(work, "server");
        var cold = Queries.ToDictionary(q => q.Name, _ => (Local: new List<double>(), S3: new List<double>()));
        var warm = Queries.ToDictionary(q => q.Name, _ => (Local: new List<double>(), S3: new List<double>()));
        await using (var setup = Start(serverDir, Path.Combine(work, "cache-setup"))) await SetUpAsync(setup, localAccount, s3.Endpoint);
        var starts = 0;
        for (var c = 0; c < coldRuns; c++)
        {
            foreach (var (name, sql) in Queries)
            {
                // A fresh gateway with an empty cache for each cold query: the object store's first query lists the
                // object and fetches it; the local one opens the file (in the page cache either way).
                await using var host = Start(serverDir, Path.Combine(work, $"cache-{starts++}"));
                cold[name].S3.Add(await TimeAsync(host, "on_s3", sql));
                cold[name].Local.Add(await TimeAsync(host, "on_disk", sql));
            }
        }
        await using (var host = Start(serverDir, Path.Combine(work, "cache-warm")))
        {
            await TimeAsync(host, "on_s3", Queries[0].Sql);
            foreach (var (name, sql) in Queries)
            {
                for (var r = 0; r < runs; r++)
                {
                    warm[name].Local.Add(await TimeAsync(host, "on_disk", sql));
                    warm[name].S3.Add(await TimeAsync(host, "on_s3", sql));
                }
            }
            Console.WriteLine($"cache: {host.Catalog.Storage.Cache.Bytes / 1048576.0:F0} MiB");
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"One {rows:N0}-row lineitem Parquet file ({size / 1048576.0:F0} MiB, 16 columns) read by its owner through one gateway, as an asset on a local-directory account and as an object on s3rver (loopback). Cold: the query first after a gateway start with an empty object cache, median of {coldRuns} starts per query (the object store's includes the listing and the download of the whole object; the local file is in the page cache either way). Every object-store query lists the asset's objects first ({(s_revalidate > 0 ? $"Storage:RevalidateSeconds = {s_revalidate}" : "Storage:RevalidateSeconds = 0, the default")}). Warm: median of {runs} runs, local and object store alternating.");
        report.AppendLine();
        report.AppendLine("| query | local cold | object store cold | local warm | object store warm | warm ratio (object store / local) |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, _) in Queries)
        {
            var (lc, sc) = cold[name];
            var (lw, sw) = warm[name];
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {Median(lc):F0} ms | {Median(sc):F0} ms | {Median(lw):F0} ms | {Median(sw):F0} ms | {Median(sw) / Median(lw):F2}× |");
        }
        Console.WriteLine(report);
        if (markdown is not null) await File.WriteAllTextAsync(markdown, report.ToString());
        return 0;
    }

    private static double s_revalidate;

    private static GatewayHost Start(string serverDir, string cache) => GatewayHost.Start(new GatewaySettings
    {
        Listen = "127.0.0.1:0",
        DataDir = serverDir,
        StatementTimeoutSeconds = 0,
        Storage = new StorageSettings { CacheDirectory = cache, CacheSize = "20GB", RevalidateSeconds = s_revalidate },
    }, NullLoggerFactory.Instance, Path.Combine(AppContext.BaseDirectory, "catalog-seed"));

    private static async Task SetUpAsync(GatewayHost host, string localAccount, string endpoint)
    {
        host.Catalog.SetUser("bench", "bench", domainAdmin: true);
        await using var c = await OpenAsync(host, "postgres");
        string[] commands =
        [
            $"ASSOCIATE ACCOUNT disk LOCATION '{localAccount}' ADMIN bench",
            $"ASSOCIATE ACCOUNT lake LOCATION 's3://{Bucket}/acct/' ADMIN bench WITH (endpoint = '{endpoint}', url_style = 'path', access_key_id = 'S3RVER', secret_access_key = 'S3RVER')",
            "ACCEPT ACCOUNT disk", "ACCEPT ACCOUNT lake",
            "CREATE PROJECT PROFILE bench_profile BLUEPRINTS (producer_storage, query_limits WITH (memory = '8GB', timeout = '3600s'))",
            "CREATE PROJECT on_disk ACCOUNT disk PROFILE bench_profile", "CREATE PROJECT on_s3 ACCOUNT lake PROFILE bench_profile",
            "ADD MEMBER bench TO PROJECT on_disk AS OWNER", "ADD MEMBER bench TO PROJECT on_s3 AS OWNER",
            "CREATE ASSET on_s3.lineitem FROM 'lineitem.parquet'", "PUBLISH ASSET on_s3.lineitem",
        ];
        foreach (var sql in commands) await ExecAsync(c, sql);
        // Local sources are relative to the project's prefix, or (before project prefixes) to the account root.
        try
        {
            await ExecAsync(c, "CREATE ASSET on_disk.lineitem FROM 'lineitem.parquet'");
        }
        catch (PostgresException)
        {
            await ExecAsync(c, "CREATE ASSET on_disk.lineitem FROM 'on_disk/lineitem.parquet'");
        }
        await ExecAsync(c, "PUBLISH ASSET on_disk.lineitem");
    }

    private static async Task<double> TimeAsync(GatewayHost host, string project, string sql)
    {
        await using var c = await OpenAsync(host, project);
        var clock = Stopwatch.StartNew();
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) { }
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<NpgsqlConnection> OpenAsync(GatewayHost host, string database)
    {
        var c = new NpgsqlConnection($"Host=127.0.0.1;Port={host.EndPoint.Port};Username=bench;Password=bench;Database={database};SSL Mode=Disable;Pooling=false;Command Timeout=0");
        await c.OpenAsync();
        return c;
    }

    private static async Task ExecAsync(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task UploadAsync(S3rverProcess s3, string key, string file)
    {
        using var client = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
        {
            ServiceURL = s3.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromMinutes(10),
        });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, FilePath = file, UseChunkEncoding = false });
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DataMesh.Gateway.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
