using System.Globalization;
using DataMesh.Gateway.Benchmarks.Compare;

namespace DataMesh.Gateway.Benchmarks.Serving;

/// <summary>
/// One client, one connection per system, the governed point lookup by a random order key (one parameterised text,
/// so the gateway's rewrite is cached), alternating gateway and PostgreSQL query by query so both see the same load.
/// </summary>
public static class PointLookups
{
    public static (Measurement Gateway, Measurement? Postgres) Run(CompareContext context, int iterations)
    {
        var gateway = new Measurement("governed point lookup by key", "gateway", new Samples());
        var pg = context.PostgresTable is null ? null : new Measurement("governed point lookup by key", "postgres-rls", new Samples());
        using var gw = context.OpenGateway();
        using var pgc = context.OpenPostgres();
        var gatewaySql = TpchQueries.On(TpchQueries.PointParameterised, "bench.lineitem");
        var pgSql = context.PostgresTable is { } t ? TpchQueries.On(TpchQueries.PointParameterised, t) : null;
        var random = new Random(18);
        var warmUp = 20;
        for (var i = 0; i < iterations + warmUp; i++)
        {
            var key = random.NextInt64(1, context.Rows / 4 + 1);
            var discard = new Measurement("", "", new Samples());
            QueryRunner.Time(i < warmUp ? discard : gateway, () => QueryRunner.Npgsql(gw, gatewaySql, key));
            if (pg is not null && pgc is not null)
                QueryRunner.Time(i < warmUp ? discard : pg, () => QueryRunner.Npgsql(pgc, pgSql!, key));
            if (discard.Error is not null) throw new InvalidOperationException("point lookup warm-up failed: " + discard.Error);
        }
        ServingHarness.Log(string.Create(CultureInfo.InvariantCulture, $"point: gateway {gateway.Ms}; postgres {pg?.Ms.ToString() ?? "-"}"));
        return (gateway, pg);
    }
}
