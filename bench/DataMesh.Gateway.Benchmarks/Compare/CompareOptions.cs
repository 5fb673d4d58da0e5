using System.Globalization;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>Options of the `compare` harness; <see cref="Quick"/> sizes a run for under ten minutes on 2 cores.</summary>
public sealed record CompareOptions
{
    public long Rows { get; init; } = 6_000_000;
    public string DataDir { get; init; } = Path.Combine("bench", "data");
    public string? Postgres { get; init; }
    public int Runs { get; init; } = 7;
    public int Threads { get; init; } = Environment.ProcessorCount;
    public int[] Clients { get; init; } = [1, 2, 4, 8, 16, 32, 64];
    public int LevelSeconds { get; init; } = 20;
    public int LatencyIterations { get; init; } = 300;
    public int MetadataAssets { get; init; } = 1000;
    public int CatalogAssets { get; init; } = 100_000;
    public int CatalogSubscriptions { get; init; } = 1_000_000;
    public string? Markdown { get; init; }
    public string? Chart { get; init; }
    public bool Quick { get; init; }

    /// <summary>The parts to run (<c>--only connect,metadata</c>); empty: all of them.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    public static readonly string[] Parts = ["tpch", "connect", "point", "load", "pgbench", "metadata", "catalog"];

    public bool Includes(string part) => Only.Count == 0 || Only.Contains(part);

    public static CompareOptions Parse(string[] args)
    {
        var o = new CompareOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--quick" => o with { Quick = true, Runs = 3, Clients = [1, 8, 64], LevelSeconds = 8, LatencyIterations = 100 },
                "--rows" => o with { Rows = long.Parse(Next(), CultureInfo.InvariantCulture) },
                "--data-dir" => o with { DataDir = Next() },
                "--postgres" => o with { Postgres = Next() },
                "--runs" => o with { Runs = Int() },
                "--threads" => o with { Threads = Int() },
                "--clients" => o with { Clients = Next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() },
                "--level-seconds" => o with { LevelSeconds = Int() },
                "--latency-iterations" => o with { LatencyIterations = Int() },
                "--metadata-assets" => o with { MetadataAssets = Int() },
                "--catalog-assets" => o with { CatalogAssets = Int() },
                "--catalog-subscriptions" => o with { CatalogSubscriptions = Int() },
                "--markdown" => o with { Markdown = Next() },
                "--chart" => o with { Chart = Next() },
                "--only" => o with { Only = Next().Split(',').Select(p => Parts.Contains(p) ? p : throw new ArgumentException($"--only: unknown part {p} (parts: {string.Join(", ", Parts)})")).ToHashSet() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return o;
    }
}
