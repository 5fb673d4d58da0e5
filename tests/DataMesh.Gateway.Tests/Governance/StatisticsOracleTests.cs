using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;
using DuckDB.NET.Data;

namespace DataMesh.Gateway.Tests.Governance;

/// <summary>
/// The statistics oracle of issue 14 (item 5): a constant that fails (<c>'x'::INT</c>) is evaluated by DuckDB only when
/// Parquet row-group statistics, computed over hidden rows too, let the filter around it run, so
/// <c>amount &gt; t AND 'x'::INT = 1</c> fails for t below the hidden maximum and not above it: a binary search finds
/// the hidden rows' maximum. Through the gateway each probe must give the same outcome on both sides of the hidden
/// maximum. Each probe is first shown to fire on the policy subquery itself, run in process.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class StatisticsOracleTests(GatewayFixture gateway)
{
    public static readonly TheoryData<string> Probes = new()
    {
        "'x'::INT = 1",
        "concat('6', 'x')::INT = 1",
        "item_id = lower('X')",
        "[1, 2, 'x'] = [item_id]",
        "item_id = NULLIF(concat('6', 'x'), 'a')",
        "item_id IN (1, coalesce(NULL, 'x'))",
        "chr(-1 + (epoch(now()) * 0)::INT) = 'x'",
        "item_id = current_user",
        // Implicit casts the binder puts over a constant where it stands (issue 14, the known gaps of item 5).
        "item_id + 0 = lower('X')",
        "amount > '999.98x'",
        "item_id BETWEEN 'x' AND 2",
        "list_contains([item_id + 0], 'x')",
        "item_id + 0 IN (1, coalesce(NULL, 'x'))",
        "sale_date > 'x'",
    };

    /// <summary>Text-typed bound parameters (value 'x') whose cast the binder puts where they stand.</summary>
    public static readonly TheoryData<string> ParameterProbes = new()
    {
        "item_id = $1",
        "item_id + 0 = $1",
        "amount > $1",
        "list_contains([item_id + 0], $1)",
        "item_id IN (1, coalesce(NULL, $1))",
    };

    [Theory]
    [MemberData(nameof(ParameterProbes))]
    public void The_parameter_probe_fires_on_the_policy_subquery_run_in_process(string predicate)
    {
        var (between, above) = Thresholds();
        using var engine = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        engine.Open();
        var source = TruthDatabase.MarketingRoot(gateway) + "/sales/*.parquet";
        Execute(engine, $"CREATE VIEW mkt_sls_table AS (SELECT item_id, sales_qty_sld, region, sale_date, amount FROM read_parquet('{source}') AS __datamesh_src WHERE (region = 'Europe') OFFSET 0)");
        Assert.NotNull(Error(engine, Query(predicate, between), "x"));
        Assert.Null(Error(engine, Query(predicate, above), "x"));
    }

    [Theory]
    [Adversarial(AttackClass.ErrorOracle)]
    [MemberData(nameof(ParameterProbes))]
    public async Task A_text_parameter_fails_or_not_whatever_the_statistics_of_hidden_rows(string predicate)
    {
        var (between, above) = Thresholds();
        await using var s = await GovernedSession.OpenAsync(gateway);
        var outcomes = new List<string>();
        foreach (var threshold in new[] { between, above })
        {
            await using var cmd = new Npgsql.NpgsqlCommand(Query(predicate, threshold), s.Connection);
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = "x", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            try
            {
                outcomes.Add("rows " + Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
            }
            catch (Npgsql.PostgresException e)
            {
                outcomes.Add(e.SqlState + " " + e.MessageText);
            }
        }
        Assert.True(outcomes[0] == outcomes[1], $"[{predicate}] below the hidden maximum: {outcomes[0]}; above it: {outcomes[1]}");
    }

    /// <summary>A threshold between the visible and the hidden maximum of amount, and one above every row.</summary>
    private (decimal Between, decimal Above) Thresholds()
    {
        var truth = Truth.For(gateway);
        var visible = Convert.ToDecimal(Assert.Single(truth.Run("SELECT max(amount) FROM mkt_sls_table").Rows)[0], CultureInfo.InvariantCulture);
        var all = Convert.ToDecimal(Assert.Single(truth.Run("SELECT max(amount) FROM all_sales").Rows)[0], CultureInfo.InvariantCulture);
        Assert.True(all > visible + 0.01m, $"the hidden rows must reach higher than the visible ones ({all} vs {visible})");
        return (visible + 0.01m, all + 0.01m);
    }

    private static string Query(string predicate, decimal threshold) =>
        $"SELECT count(*) FROM mkt_sls_table WHERE amount > {threshold.ToString(CultureInfo.InvariantCulture)} AND {predicate}";

    [Theory]
    [MemberData(nameof(Probes))]
    public void The_probe_fires_on_the_policy_subquery_run_in_process(string predicate)
    {
        var (between, above) = Thresholds();
        using var engine = new DuckDBConnection("DataSource=:memory:;autoinstall_known_extensions=false;autoload_known_extensions=false");
        engine.Open();
        var source = TruthDatabase.MarketingRoot(gateway) + "/sales/*.parquet";
        // The gateway's policy subquery for bob's grant, fenced as it is for a query that is not leak-proof.
        Execute(engine, $"CREATE VIEW mkt_sls_table AS (SELECT item_id, sales_qty_sld, region, sale_date, amount FROM read_parquet('{source}') AS __datamesh_src WHERE (region = 'Europe') OFFSET 0)");
        Assert.NotNull(Error(engine, Query(predicate, between)));
        Assert.Null(Error(engine, Query(predicate, above)));
    }

    [Theory]
    [Adversarial(AttackClass.ErrorOracle)]
    [MemberData(nameof(Probes))]
    public async Task A_constant_fails_or_not_whatever_the_statistics_of_hidden_rows(string predicate)
    {
        var (between, above) = Thresholds();
        await using var s = await GovernedSession.OpenAsync(gateway);
        var (first, firstRows) = await s.TryAsync(Query(predicate, between));
        var (second, secondRows) = await s.TryAsync(Query(predicate, above));
        Assert.True((first is null) == (second is null),
            $"[{predicate}] below the hidden maximum: {first?.SqlState} {first?.MessageText}; above it: {second?.SqlState} {second?.MessageText}");
        if (first is not null)
        {
            Assert.Equal(second!.SqlState, first.SqlState);
            Assert.Equal(second.MessageText, first.MessageText);
        }
        else Assert.Equal(Convert.ToInt64(Assert.Single(secondRows)[0]), Convert.ToInt64(Assert.Single(firstRows)[0]));
    }

    [Theory]
    [InlineData("'x'::INT = 1", "22P02", "Could not convert string 'x' to INT32")]
    [InlineData("item_id = lower('X')", "22P02", "Could not convert string 'x' to INT64")]
    // Folded by DuckDB's binder, in the bound-plan check too: its error type arrives as text ("invalid input"), once XX000.
    [InlineData("round(amount, 'x') > 0", "22023", "Failed to cast value: Could not convert string 'x' to INT32")]
    public async Task A_failing_constant_is_the_engines_own_error_raised_at_planning(string predicate, string state, string message)
    {
        var (_, above) = Thresholds();
        await using var s = await GovernedSession.OpenAsync(gateway);
        var e = await s.ErrorAsync(Query(predicate, above), state);
        Assert.Equal(message, e.MessageText);
    }

    [Fact]
    [Adversarial(AttackClass.ErrorOracle)]
    public async Task A_text_parameter_cast_in_the_query_is_checked_with_its_value_before_execution()
    {
        var (between, above) = Thresholds();
        await using var s = await GovernedSession.OpenAsync(gateway);
        foreach (var threshold in new[] { between, above })
        {
            await using var cmd = new Npgsql.NpgsqlCommand(Query("$1::INT = 1", threshold), s.Connection);
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = "x", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => cmd.ExecuteScalarAsync());
            Assert.Equal("22P02", e.SqlState);
            Assert.Equal("Could not convert string 'x' to INT32", e.MessageText);
        }
        // The same statement with a value that casts runs.
        await using var ok = new Npgsql.NpgsqlCommand(Query("$1::INT = 1", above), s.Connection);
        ok.Parameters.Add(new Npgsql.NpgsqlParameter { Value = "1", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        Assert.Equal(0L, Convert.ToInt64(await ok.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Constants_that_evaluate_leave_results_and_names_unchanged()
    {
        await using var s = await GovernedSession.OpenAsync(gateway);
        var (columns, rows) = await s.TableAsync(
            "SELECT current_user, now() > DATE '2020-01-01' AS recent, list_transform([1, 2], x -> x + 1) AS l, count(*) FROM mkt_sls_table WHERE sale_date > current_date - INTERVAL 30000 DAY AND region = concat('Eur', 'ope')");
        Assert.Equal(["current_user", "recent", "l", "count"], columns);
        var row = Assert.Single(rows);
        Assert.Equal("bob", row[0]);
        Assert.Equal(true, row[1]);
        Assert.Equal(new[] { 2, 3 }, (int[])row[2]!);
        Assert.Equal(Truth.For(gateway).Count("SELECT count(*) FROM mkt_sls_table"), Convert.ToInt64(row[3], CultureInfo.InvariantCulture));
    }

    private static void Execute(DuckDBConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static DuckDBException? Error(DuckDBConnection c, string sql, string? parameter = null)
    {
        try
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            if (parameter is not null) cmd.Parameters.Add(new DuckDBParameter(parameter));
            cmd.ExecuteScalar();
            return null;
        }
        catch (DuckDBException e)
        {
            return e;
        }
    }
}
