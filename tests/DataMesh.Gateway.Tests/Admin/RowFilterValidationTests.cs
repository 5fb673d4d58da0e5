namespace DataMesh.Gateway.Tests.Admin;

/// <summary>Row filters are validated at approval: a bad one is refused and the request stays pending.</summary>
[Collection(AdminCollection.Name)]
public sealed class RowFilterValidationTests(AdminGatewayFixture fixture)
{
    public static TheoryData<string, string> BadFilters => new()
    {
        { "region = = 'x'", "42601" },
        { "region = 'x' AND", "42601" },
        { "no_such_column = 1", "42703" },
        { "other_table.region = 'x'", "42703" },
        { "region IN (SELECT region FROM sales)", "42501" },
        { "EXISTS (SELECT 1)", "42501" },
        { "amount > random()", "42501" },
        { "sold_on < now()", "42501" },
        { "region = current_user", "42703" }, // DuckDB parses it as a column reference
        { "region = getenv('HOME')", "42501" },
        { "count(*) > 1", "42501" },
        { "region = (SELECT 'x')", "42501" },
        { "region = $1", "42501" },
        { "region = 'x' ORDER BY 1", "42601" },
    };

    [Theory]
    [MemberData(nameof(BadFilters))]
    public async Task Bad_filters_are_refused_and_the_request_stays_pending(string filter, string sqlState)
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var e = await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} WITH ROW FILTER ({filter})", sqlState);
        Assert.NotEmpty(e.MessageText);
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task A_filter_syntax_error_points_into_the_filter()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        var sql = $"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = = 'x')";
        var e = await owner.FailsAsync(sql, "42601");
        var filterStart = sql.IndexOf("(region", StringComparison.Ordinal) + 2; // 1-based position of "region"
        Assert.InRange(e.Position, filterStart, sql.Length);
        Assert.Contains("invalid row filter", e.MessageText);
    }

    [Fact]
    public async Task A_second_statement_cannot_be_smuggled_into_a_filter()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        // The semicolon ends the statement before the filter's ")": the APPROVE is incomplete.
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'x'; DROP TABLE t; --)", "42601");
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
        await owner.FailsAsync($"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'x' /* ; DROP TABLE t; */ OR (SELECT true))", "42501");
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task A_closing_parenthesis_smuggled_into_a_filter_is_refused_as_one_statement()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        // The brief's form: "region = 'x'); DROP TABLE t; --" as the filter text. Sent as one extended-protocol
        // statement (NpgsqlBatch: one Parse), the gateway refuses the whole string, like PostgreSQL.
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => owner.QueryAsync($"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'x'); DROP TABLE t; --)"));
        Assert.Equal("42601", e.SqlState);
        Assert.Contains("multiple commands", e.MessageText);
        Assert.Equal("pending", await s.StatusAsync(fixture, id));
    }

    [Fact]
    public async Task A_smuggled_statement_never_becomes_part_of_the_filter()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        // NpgsqlCommand splits at the semicolon and sends three statements in one batch. The filter ends at its
        // balanced ")", so whatever runs, the stored filter can only be "region = 'x'" and the DROP never runs.
        await using (var command = new Npgsql.NpgsqlCommand($"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (region = 'x'); DROP TABLE t; --)", owner))
            await Assert.ThrowsAsync<Npgsql.PostgresException>(() => command.ExecuteNonQueryAsync());
        await using var carol = await fixture.OpenAsync("carol");
        var sub = (await carol.QueryAsync($"SHOW SUBSCRIPTIONS FOR PROJECT {s.Consumer}")).Single("subscription", id);
        Assert.True(sub["row_filter"] is null or "region = 'x'", $"stored filter: {sub["row_filter"]}");
        Assert.Single((await carol.QueryAsync("SHOW USERS")).RowsWhere("user", "alice"));
    }

    [Fact]
    public async Task Allow_listed_functions_and_operators_pass()
    {
        var s = await Scenario.CreateAsync(fixture);
        var id = await s.RequestAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        const string filter = "lower(region) LIKE 'eu%' AND year(sold_on) >= 2024 AND coalesce(amount, 0) BETWEEN 1 AND 100 AND CAST(quantity AS BIGINT) <> 0";
        var approved = await owner.QueryAsync($"APPROVE SUBSCRIPTION {id} WITH ROW FILTER (  {filter}  )");
        Assert.Equal(filter, approved.Get(0, "row_filter"));
        Assert.Equal("approved", await s.StatusAsync(fixture, id));
    }
}
