using System.Globalization;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>Latency samples in milliseconds and the order statistics the report quotes (nearest-rank).</summary>
public sealed class Samples
{
    private readonly List<double> _ms = [];
    private double[]? _sorted;

    public int Count => _ms.Count;

    public void Add(double ms)
    {
        _ms.Add(ms);
        _sorted = null;
    }

    public void AddRange(IEnumerable<double> ms)
    {
        _ms.AddRange(ms);
        _sorted = null;
    }

    public double P(double percentile)
    {
        if (_ms.Count == 0) return double.NaN;
        _sorted ??= _ms.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public double P50 => P(50);
    public double P95 => P(95);
    public double P99 => P(99);
    public double Best => Count == 0 ? double.NaN : _ms.Min();

    public override string ToString() => Count == 0 ? "no samples"
        : string.Create(CultureInfo.InvariantCulture, $"n={Count} p50={P50:F3} ms p95={P95:F3} ms p99={P99:F3} ms");
}
