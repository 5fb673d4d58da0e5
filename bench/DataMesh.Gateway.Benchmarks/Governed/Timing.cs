using System.Diagnostics;

namespace DataMesh.Gateway.Benchmarks.Governed;

/// <summary>The timed executions of one query on one path: first (cold plan cache), best and median of the rest.</summary>
public sealed class Timing
{
    private readonly List<double> _ms = [];

    public double? FirstMs { get; private set; }
    public long Rows { get; private set; }
    public decimal Checksum { get; private set; }
    public string? Error { get; private set; }

    public bool Ok => Error is null && _ms.Count > 0;
    public double BestMs => _ms.Min();
    public double MedianMs => _ms.Order().ElementAt(_ms.Count / 2);

    /// <summary>One execution; the first is kept apart as the cold one. An error stops further runs of this path.</summary>
    public void Run(Func<(long Rows, decimal Checksum)> query)
    {
        if (Error is not null) return;
        var sw = Stopwatch.StartNew();
        try
        {
            (Rows, Checksum) = query();
        }
        catch (Exception e) when (e is Npgsql.PostgresException or DuckDB.NET.Data.DuckDBException)
        {
            Error = e is Npgsql.PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : e.Message.Split('\n')[0];
            return;
        }
        var ms = sw.Elapsed.TotalMilliseconds;
        if (FirstMs is null) FirstMs = ms;
        else _ms.Add(ms);
    }

    public bool SameResult(Timing other) => Ok && other.Ok && Rows == other.Rows && Checksum == other.Checksum;
}
