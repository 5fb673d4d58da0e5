namespace DataMesh.Gateway.Tests.Admin;

/// <summary>
/// ALTER ASSET … SET PRIMARY KEY / SET CLUSTER BY over the wire: columns checked against the schema and kept in its
/// spelling, shown by DESCRIBE ASSET, cleared by an empty list, kept across a restart-free republish, and refused to
/// anyone below contributor of the owning project.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class ServingDeclarationTests(AdminGatewayFixture fixture)
{
    [Fact]
    public async Task Key_and_clustering_are_declared_shown_and_cleared()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        Assert.Null(await DescribedAsync(owner, s, "primary key"));
        Assert.Null(await DescribedAsync(owner, s, "cluster by"));

        await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET PRIMARY KEY (Region, sold_on)");
        await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET CLUSTER BY (sold_on)");
        Assert.Equal("region, sold_on", await DescribedAsync(owner, s, "primary key"));
        Assert.Equal("sold_on", await DescribedAsync(owner, s, "cluster by"));

        await owner.ExecAsync($"PUBLISH ASSET {s.AssetName}"); // a new revision keeps the declarations
        Assert.Equal("region, sold_on", await DescribedAsync(owner, s, "primary key"));

        await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET PRIMARY KEY ()");
        Assert.Null(await DescribedAsync(owner, s, "primary key"));
        Assert.Equal("sold_on", await DescribedAsync(owner, s, "cluster by"));
        await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET CLUSTER BY ()");
        Assert.Null(await DescribedAsync(owner, s, "cluster by"));
    }

    [Fact]
    public async Task Unknown_repeated_and_foreign_columns_are_refused_and_change_nothing()
    {
        var s = await Scenario.CreateAsync(fixture);
        await using var owner = await fixture.OpenAsync(s.Owner);
        await owner.ExecAsync($"ALTER ASSET {s.AssetName} SET PRIMARY KEY (region)");

        var unknown = await owner.FailsAsync($"ALTER ASSET {s.AssetName} SET PRIMARY KEY (region, no_such_col)", "42703");
        Assert.Equal($"column \"no_such_col\" of asset {s.AssetName} does not exist", unknown.MessageText);
        await owner.FailsAsync($"ALTER ASSET {s.AssetName} SET CLUSTER BY (no_such_col)", "42703");
        var twice = await owner.FailsAsync($"ALTER ASSET {s.AssetName} SET PRIMARY KEY (region, \"REGION\")", "22023");
        Assert.Equal("column \"region\" is listed twice", twice.MessageText);
        await owner.FailsAsync($"ALTER ASSET {s.AssetName} SET PRIMARY KEY (region, region)", "42601");
        await owner.FailsAsync($"ALTER ASSET {s.Producer}.no_such_asset SET PRIMARY KEY (region)", "42704");

        Assert.Equal("region", await DescribedAsync(owner, s, "primary key"));
        Assert.Null(await DescribedAsync(owner, s, "cluster by"));
    }

    [Fact]
    public async Task Only_contributors_and_owners_of_the_producer_may_declare()
    {
        var s = await Scenario.CreateAsync(fixture);
        foreach (var user in new[] { s.ProducerViewer, s.Contributor, s.Outsider })
        {
            await using var other = await fixture.OpenAsync(user);
            await other.FailsAsync($"ALTER ASSET {s.AssetName} SET PRIMARY KEY (region)", "42501");
            await other.FailsAsync($"ALTER ASSET {s.AssetName} SET CLUSTER BY (region)", "42501");
        }
        await using var contributor = await fixture.OpenAsync(s.ProducerContributor);
        await contributor.ExecAsync($"ALTER ASSET {s.AssetName} SET CLUSTER BY (sold_on, region)");
        await using var owner = await fixture.OpenAsync(s.Owner);
        Assert.Equal("sold_on, region", await DescribedAsync(owner, s, "cluster by"));
        Assert.Null(await DescribedAsync(owner, s, "primary key"));
    }

    private static async Task<string?> DescribedAsync(Npgsql.NpgsqlConnection connection, Scenario s, string item)
    {
        var described = await connection.QueryAsync($"DESCRIBE ASSET {s.AssetName}");
        return (string?)described.Rows.Single(r => (string)r[0]! == "asset" && (string)r[1]! == item)[2];
    }
}
