using System.Globalization;
using DataMesh.Gateway.Benchmarks.Compare;
using DataMesh.Gateway.Benchmarks.Stream;
using DataMesh.Gateway.Engine;

namespace DataMesh.Gateway.Benchmarks.Serving;

/// <summary>
/// TPC-H Q1 and Q6 as written, through the gateway, against the same governed query written by hand and run in
/// process (the row filter in the query, the hidden column left out, no fence): what the leak barrier's fencing of
/// standard analytic SQL costs. Interleaved run by run after one warm-up each; results must agree.
/// </summary>
public static class HandWrittenComparison
{
    public sealed record Result(string Query, Measurement Gateway, Measurement HandWritten, bool Fenced, bool Agree);

    public static List<Result> Run(CompareContext context, int runs)
    {
        var governedByHand = $"(SELECT * EXCLUDE ({GatewayProcess.ConsumerExcludedColumn}) FROM read_parquet({DuckDbEngine.Literal(context.Parquet)}) "
            + $"WHERE {GatewayProcess.ConsumerRowFilter})";
        using var gw = context.OpenGateway();
        var results = new List<Result>();
        foreach (var (name, template) in new[] { ("Q1", TpchQueries.Q1), ("Q6", TpchQueries.Q6) })
        {
            var asWritten = TpchQueries.On(template, "bench.lineitem");
            var byHand = TpchQueries.On(template, governedByHand);
            var gateway = new Measurement(name + " as written", "gateway", new Samples());
            var local = new Measurement(name + ", governed by hand", "in-process", new Samples());
            for (var i = 0; i <= runs; i++)
            {
                var warm = new Measurement("", "", new Samples());
                QueryRunner.Time(i == 0 ? warm : gateway, () => QueryRunner.Npgsql(gw, asWritten));
                QueryRunner.Time(i == 0 ? warm : local, () => context.InProcess.Execute(byHand));
                if (warm.Error is not null) throw new InvalidOperationException($"{name} warm-up failed: {warm.Error}");
            }
            var agree = gateway.Ok && local.Ok && gateway.Rows == local.Rows && QueryRunner.Close(gateway.Checksum, local.Checksum);
            var fenced = context.Plan(asWritten).Barrier;
            ServingHarness.Log(string.Create(CultureInfo.InvariantCulture, $"{name}: as written {gateway.Ms}; by hand {local.Ms}; fenced {fenced}; agree {agree}"));
            results.Add(new Result(name, gateway, local, fenced, agree));
        }
        return results;
    }
}
