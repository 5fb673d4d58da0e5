using System.Globalization;

namespace DataMesh.Gateway.Soak;

/// <summary>Command line of the soak: how long, how many clients, where; every loop is bounded by these.</summary>
public sealed record SoakOptions
{
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(2);
    public int Clients { get; init; } = 64;

    /// <summary>Consumer projects, each with its own user and a grant that the admin clients keep changing.</summary>
    public int Projects { get; init; } = 8;
    public string DataDir { get; init; } = Path.Combine(Path.GetTempPath(), "datamesh-soak-" + Environment.ProcessId);
    public string? Markdown { get; init; }

    /// <summary>
    /// A PostgreSQL catalog (<c>serve --catalog</c>; password from DATAMESH_CATALOG_PASSWORD) instead of the embedded one,
    /// and how many gateway nodes share it (1 or 2). With two, consumers, admins and metadata readers are spread over
    /// both, and each admin command goes to either node at random.
    /// </summary>
    public string? Catalog { get; init; }
    public int Nodes { get; init; } = 1;

    /// <summary>
    /// How long after a REVOKE was acknowledged a query may still see the revoked rows (GrantLedger): zero on one node;
    /// on two nodes the other node applies the revoke when its announcement arrives (LISTEN/NOTIFY) or, with the channel
    /// down, at its next poll (every second): 2 s by default, the cross-node bound issue 22 sets.
    /// </summary>
    public TimeSpan RevokeAllowance { get; init; }

    /// <summary>Share of the run used to warm up before the memory and handle baseline is taken.</summary>
    public double WarmupFraction { get; init; } = 0.25;

    /// <summary>An upper bound on operations per client, so no loop can run away even if time stood still.</summary>
    public int MaxOperationsPerClient { get; init; } = 1_000_000;

    public static SoakOptions Parse(string[] args)
    {
        var o = new SoakOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--duration" => o with { Duration = ParseDuration(Next()) },
                "--clients" => o with { Clients = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--projects" => o with { Projects = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--data-dir" => o with { DataDir = Path.GetFullPath(Next()) },
                "--markdown" => o with { Markdown = Path.GetFullPath(Next()) },
                "--catalog" => o with { Catalog = Next() },
                "--nodes" => o with { Nodes = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--revoke-allowance" => o with { RevokeAllowance = ParseDuration(Next()) },
                _ => throw new ArgumentException($"unknown option {args[i]} (--duration 2m|3600s|1h, --clients N, --projects N, --data-dir DIR, --markdown FILE, --catalog postgresql://…, --nodes 1|2, --revoke-allowance 2s)"),
            };
        }
        if (o.Clients < 4) throw new ArgumentException("--clients must be at least 4 (consumers, admins and metadata readers)");
        if (o.Projects < 1 || o.Projects > 64) throw new ArgumentException("--projects must be 1..64");
        if (o.Nodes is < 1 or > 2) throw new ArgumentException("--nodes must be 1 or 2");
        if (o.Nodes == 2 && o.Catalog is null) throw new ArgumentException("--nodes 2 needs --catalog postgresql://… (the catalog both nodes share)");
        if (o.Nodes == 2 && !args.Contains("--revoke-allowance")) o = o with { RevokeAllowance = TimeSpan.FromSeconds(2) };
        return o;
    }

    private static TimeSpan ParseDuration(string text)
    {
        var unit = text[^1];
        var value = double.Parse(char.IsLetter(unit) ? text[..^1] : text, CultureInfo.InvariantCulture);
        return unit switch
        {
            'h' => TimeSpan.FromHours(value),
            'm' => TimeSpan.FromMinutes(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }
}
