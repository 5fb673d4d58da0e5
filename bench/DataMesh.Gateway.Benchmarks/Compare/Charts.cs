using ScottPlot;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// One PNG with the comparison users would rather look at than read: query time per system for Q1, Q6 and a
/// new connection; throughput against client count; point-query p99 against client count.
/// </summary>
public static class Charts
{
    public static void Write(string path, IReadOnlyList<TpchComparison.Result> tpch, (Measurement Gateway, Measurement? Postgres) connect,
        IReadOnlyList<ConcurrencyLoad.Level> levels)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();

        var times = multiplot.GetPlot(0);
        var systems = new[] { ("in-process DuckDB", Colors.Gray), ("gateway", Colors.SteelBlue), ("PostgreSQL 15 + RLS", Colors.OrangeRed) };
        var groups = new List<(string Label, double?[] Values)>();
        foreach (var r in tpch)
            groups.Add(($"{r.Query} (ms)", [r.InProcess.Ok ? r.InProcess.Ms.P50 : null, r.Gateway.Ok ? r.Gateway.Ms.P50 : null, r.Postgres is { Ok: true } p ? p.Ms.P50 : null]));
        groups.Add(("connect (ms)", [null, connect.Gateway.Ok ? connect.Gateway.Ms.P50 : null, connect.Postgres is { Ok: true } c ? c.Ms.P50 : null]));
        var ticks = new List<Tick>();
        for (var g = 0; g < groups.Count; g++)
        {
            for (var s = 0; s < systems.Length; s++)
            {
                if (groups[g].Values[s] is not { } v) continue;
                var bar = times.Add.Bar(position: g * 4 + s, value: v);
                bar.Color = systems[s].Item2;
                bar.ValueLabel = v >= 100 ? $"{v:F0}" : $"{v:F1}";
            }
            ticks.Add(new Tick(g * 4 + 1, groups[g].Label));
        }
        times.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        times.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic();
        times.Axes.Left.Label.Text = "median, ms";
        times.Title("Median time per query, lower is better");
        foreach (var (name, color) in systems) times.Legend.ManualItems.Add(new LegendItem { LabelText = name, FillColor = color });
        times.ShowLegend(Alignment.UpperLeft);
        times.Axes.Margins(bottom: 0);

        var throughput = multiplot.GetPlot(1);
        var latency = multiplot.GetPlot(2);
        foreach (var (system, color) in new[] { ("gateway", Colors.SteelBlue), ("postgres-rls", Colors.OrangeRed) })
        {
            var series = levels.Where(l => l.System == system).OrderBy(l => l.Clients).ToList();
            if (series.Count == 0) continue;
            var xs = series.Select(l => Math.Log2(l.Clients)).ToArray();
            var q = throughput.Add.Scatter(xs, series.Select(l => l.Qps).ToArray());
            q.Color = color; q.LegendText = system; q.LineWidth = 2; q.MarkerSize = 7;
            var p = latency.Add.Scatter(xs, series.Select(l => l.Point.P99).ToArray());
            p.Color = color; p.LegendText = system; p.LineWidth = 2; p.MarkerSize = 7;
        }
        foreach (var plot in new[] { throughput, latency })
        {
            var clientTicks = levels.Select(l => l.Clients).Distinct().Order().Select(c => new Tick(Math.Log2(c), c.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(clientTicks);
            plot.Axes.Bottom.Label.Text = "concurrent clients";
            plot.ShowLegend(Alignment.UpperLeft);
        }
        throughput.Title($"Queries/s, {100 - ConcurrencyLoad.ScanPercent}% point + {ConcurrencyLoad.ScanPercent}% scan (higher is better)");
        throughput.Axes.Left.Label.Text = "queries per second";
        latency.Title("Point-query p99 latency (ms), lower is better");
        latency.Axes.Left.Label.Text = "p99, ms";
        multiplot.SavePng(path, 1500, 480);
    }
}
