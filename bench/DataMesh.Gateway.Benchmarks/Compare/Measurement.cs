namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>One measured series: a workload on one system, with its latency samples and what it returned.</summary>
public sealed record Measurement(string Workload, string System, Samples Ms)
{
    public long Rows { get; set; }
    public decimal Checksum { get; set; }
    public string? Error { get; set; }
    public bool Ok => Error is null && Ms.Count > 0;
}

/// <summary>One row of the targets table: the target, what was measured, met or missed.</summary>
public sealed record TargetResult(string Workload, string Target, string Measured, bool? Met, string Note = "");
