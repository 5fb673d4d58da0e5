using System.Globalization;
using DataMesh.Gateway.Benchmarks.Compare;

namespace DataMesh.Gateway.Benchmarks.Serving;

/// <summary>
/// A dashboard refresh: Q1 as the consumer, the first time this gateway process sees its text and then again on
/// unchanged data (what a result cache can answer); and Q6 against PostgreSQL + RLS (what a copy clustered by ship
/// date can prune). Both results are checked against PostgreSQL's.
/// </summary>
public static class RepeatedQueries
{
    public sealed record Result(Measurement Q1First, Measurement Q1Again, Measurement? Q1Postgres, Measurement Q6Gateway, Measurement? Q6Postgres, bool Agree);

    public static Result Run(CompareContext context, int repeats)
    {
        using var gw = context.OpenGateway();
        using var pgc = context.OpenPostgres();
        var q1 = TpchQueries.On(TpchQueries.Q1, "bench.lineitem");
        var q6 = TpchQueries.On(TpchQueries.Q6, "bench.lineitem");
        var first = new Measurement("Q1, first run", "gateway", new Samples());
        var again = new Measurement("Q1, again (unchanged data)", "gateway", new Samples());
        QueryRunner.Time(first, () => QueryRunner.Npgsql(gw, q1));
        for (var i = 0; i < repeats; i++) QueryRunner.Time(again, () => QueryRunner.Npgsql(gw, q1));
        var q6Gateway = new Measurement("Q6", "gateway", new Samples());
        Measurement? q1Pg = null, q6Pg = null;
        if (context.PostgresTable is { } table && pgc is not null)
        {
            q1Pg = new Measurement("Q1", "postgres-rls", new Samples());
            q6Pg = new Measurement("Q6", "postgres-rls", new Samples());
            QueryRunner.Time(q1Pg, () => QueryRunner.Npgsql(pgc, TpchQueries.On(TpchQueries.Q1, table)));
        }
        var warm = new Measurement("", "", new Samples());
        QueryRunner.Time(warm, () => QueryRunner.Npgsql(gw, q6));
        if (q6Pg is not null) QueryRunner.Time(warm, () => QueryRunner.Npgsql(pgc!, TpchQueries.On(TpchQueries.Q6, context.PostgresTable!)));
        for (var i = 0; i < repeats; i++)
        {
            QueryRunner.Time(q6Gateway, () => QueryRunner.Npgsql(gw, q6));
            if (q6Pg is not null) QueryRunner.Time(q6Pg, () => QueryRunner.Npgsql(pgc!, TpchQueries.On(TpchQueries.Q6, context.PostgresTable!)));
        }
        var agree = Same(first, again) && (q1Pg is null || Same(first, q1Pg)) && (q6Pg is null || Same(q6Gateway, q6Pg));
        ServingHarness.Log(string.Create(CultureInfo.InvariantCulture,
            $"Q1 first {first.Ms}; again {again.Ms}; Q6 gateway {q6Gateway.Ms}; postgres {q6Pg?.Ms.ToString() ?? "-"}; agree {agree}"));
        return new Result(first, again, q1Pg, q6Gateway, q6Pg, agree);
    }

    private static bool Same(Measurement a, Measurement b) => a.Ok && b.Ok && a.Rows == b.Rows && QueryRunner.Close(a.Checksum, b.Checksum);
}
