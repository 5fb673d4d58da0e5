using System.Globalization;

namespace DataMesh.Gateway.Benchmarks.Serving;

/// <summary>
/// Options of the `serving` harness (issue 18's workloads: point lookups, many clients, a repeated dashboard query);
/// <see cref="Quick"/> sizes a run for a few minutes on 2 cores.
/// </summary>
public sealed record ServingOptions
{
    public long Rows { get; init; } = 6_000_000;
    public string DataDir { get; init; } = Path.Combine("bench", "data");
    public string? Postgres { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    public int PointIterations { get; init; } = 500;
    public int PointClients { get; init; } = 16;
    public int[] MixedClients { get; init; } = [1, 4, 16, 64];
    public int PgbenchClients { get; init; } = 64;
    public int LevelSeconds { get; init; } = 20;
    public int Repeats { get; init; } = 5;
    public string? Markdown { get; init; }
    public bool Quick { get; init; }

    /// <summary>The parts to run (<c>--only copy,point</c>); empty: all of them.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    public static readonly string[] Parts = ["repeat", "handwritten", "point", "clients", "mixed", "pgbench", "copy"];

    public bool Includes(string part) => Only.Count == 0 || Only.Contains(part);

    /// <summary>What the comparison context needs of these options (the same gateway, catalog and PostgreSQL set-up).</summary>
    public Compare.CompareOptions Context => new() { Rows = Rows, DataDir = DataDir, Postgres = Postgres, Threads = Threads };

    public static ServingOptions Parse(string[] args)
    {
        var o = new ServingOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--quick" => o with { Quick = true, PointIterations = 200, MixedClients = [1, 16, 64], LevelSeconds = 8, Repeats = 3 },
                "--rows" => o with { Rows = long.Parse(Next(), CultureInfo.InvariantCulture) },
                "--data-dir" => o with { DataDir = Next() },
                "--postgres" => o with { Postgres = Next() },
                "--threads" => o with { Threads = Int() },
                "--point-iterations" => o with { PointIterations = Int() },
                "--point-clients" => o with { PointClients = Int() },
                "--clients" => o with { MixedClients = Next().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray() },
                "--pgbench-clients" => o with { PgbenchClients = Int() },
                "--level-seconds" => o with { LevelSeconds = Int() },
                "--repeats" => o with { Repeats = Int() },
                "--markdown" => o with { Markdown = Next() },
                "--only" => o with { Only = Next().Split(',').Select(p => Parts.Contains(p) ? p : throw new ArgumentException($"--only: unknown part {p} (parts: {string.Join(", ", Parts)})")).ToHashSet() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return o;
    }
}
