using DataMesh.Gateway.Benchmarks.Governed;
using Npgsql;

namespace DataMesh.Gateway.Benchmarks.Compare;

/// <summary>
/// Q1 and Q6 as the consumer, side by side in one run, interleaved run by run: through the gateway (its own process,
/// Npgsql), the planner's rewritten SQL in process on an equivalently configured DuckDB (the engine's limit), and
/// PostgreSQL 15 with the equivalent RLS policy and column privileges.
/// </summary>
public static class TpchComparison
{
    public sealed record Result(string Query, bool Barrier, Measurement Gateway, Measurement InProcess, Measurement? Postgres, bool GatewayAgrees, bool? PostgresAgrees);

    public static List<Result> Run(CompareContext context, int runs)
    {
        var results = new List<Result>();
        foreach (var (name, template) in new[] { ("Q1", TpchQueries.Q1), ("Q6", TpchQueries.Q6) })
        {
            var userSql = TpchQueries.On(template, "bench.lineitem");
            var plan = context.Plan(userSql);
            var gateway = new Measurement(name, "gateway", new Samples());
            var local = new Measurement(name, "in-process", new Samples());
            var pg = context.PostgresTable is null ? null : new Measurement(name, "postgres-rls", new Samples());
            using var gw = context.OpenGateway();
            using var pgc = context.OpenPostgres();
            var pgSql = context.PostgresTable is { } t ? TpchQueries.On(template, t) : null;
            for (var i = 0; i <= runs; i++) // run 0 warms each path and is dropped
            {
                var g = new Measurement(name, "", new Samples());
                QueryRunner.Time(i == 0 ? g : gateway, () => QueryRunner.Npgsql(gw, userSql));
                QueryRunner.Time(i == 0 ? g : local, () => context.InProcess.Execute(plan.Sql));
                if (pg is not null && pgc is not null) QueryRunner.Time(i == 0 ? g : pg, () => QueryRunner.Npgsql(pgc, pgSql!));
                if (g.Error is not null) gateway.Error ??= "warm-up: " + g.Error;
            }
            CompareHarness.Log($"{name}: gateway {gateway.Ms}; in-process {local.Ms}; postgres {pg?.Ms.ToString() ?? "-"}");
            results.Add(new Result(name, plan.Barrier, gateway, local, pg,
                gateway.Ok && local.Ok && gateway.Rows == local.Rows && gateway.Checksum == local.Checksum,
                pg is { Ok: true } ? pg.Rows == gateway.Rows && QueryRunner.Close(pg.Checksum, gateway.Checksum) : null));
        }
        return results;
    }
}
