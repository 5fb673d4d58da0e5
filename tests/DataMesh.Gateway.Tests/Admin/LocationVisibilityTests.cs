using Npgsql;

namespace DataMesh.Gateway.Tests.Admin;

/// <summary>
/// Where a project's data and code live (its storage prefix, its code repository: both name the account's storage)
/// is shown to the project's members and domain admins only (issue 14, item 7). Every admin output a non-member can
/// reach is scanned for the data directory, with a probe that shows the same outputs do carry it for an insider.
/// </summary>
[Collection(AdminCollection.Name)]
public sealed class LocationVisibilityTests(AdminGatewayFixture fixture)
{
    private static IEnumerable<string> Cells(AdminRows rows) =>
        rows.Rows.SelectMany(r => r).Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "");

    [Fact]
    public async Task Show_projects_shows_storage_and_repository_to_members_and_domain_admins_only()
    {
        await using var alice = await fixture.OpenAsync("alice"); // owner of marketing
        await using var bob = await fixture.OpenAsync("bob"); // member of ml_research only
        await using var carol = await fixture.OpenAsync("carol"); // domain admin

        var own = (await alice.QueryAsync("SHOW PROJECTS")).Single("project", "marketing");
        Assert.Equal(Path.Combine(fixture.DataDirectory, "accounts", "acct_marketing", "marketing") + "/", own["storage"]);
        Assert.StartsWith("file://", (string)own["code_repository"]!, StringComparison.Ordinal);

        var admin = (await carol.QueryAsync("SHOW PROJECTS")).Single("project", "marketing");
        Assert.Equal(own["storage"], admin["storage"]);
        Assert.Equal(own["code_repository"], admin["code_repository"]);

        var outsider = (await bob.QueryAsync("SHOW PROJECTS")).Single("project", "marketing");
        Assert.Null(outsider["storage"]);
        Assert.Null(outsider["code_repository"]);
        Assert.Equal("acct_marketing", outsider["account"]); // the rest of the row stays public
        var bobs = (await bob.QueryAsync("SHOW PROJECTS")).Single("project", "ml_research");
        Assert.Equal(Path.Combine(fixture.DataDirectory, "accounts", "acct_research", "ml_research") + "/", bobs["storage"]);
    }

    [Fact]
    public async Task Describe_project_shows_prefix_location_and_resources_to_insiders_only()
    {
        await using var alice = await fixture.OpenAsync("alice");
        await using var bob = await fixture.OpenAsync("bob");
        var inside = await alice.QueryAsync("DESCRIBE PROJECT marketing");
        Assert.Equal("marketing/", inside.Rows.Single(r => Equals(r[1], "prefix"))[2]);
        Assert.Contains(inside.Rows, r => Equals(r[0], "resource") && Equals(r[1], "code_repository"));
        Assert.Contains(inside.Rows, r => Equals(r[0], "assets") && Equals(r[1], "inventory"));

        var outside = await bob.QueryAsync("DESCRIBE PROJECT marketing");
        Assert.Equal(["project", "assets"], outside.Rows.Select(r => (string)r[0]!).Distinct().ToArray());
        Assert.DoesNotContain(Cells(outside), c => c.Contains(fixture.DataDirectory, StringComparison.Ordinal));
        Assert.Equal("2", outside.Rows.Single(r => Equals(r[1], "published"))[2]);
    }

    /// <summary>Everything a user who belongs to no project can run, with errors included.</summary>
    [Fact]
    public async Task No_admin_output_or_error_shows_a_non_member_where_another_projects_files_are()
    {
        var statements = new[]
        {
            "SHOW ACCOUNTS", "SHOW PROJECTS", "SHOW DOMAIN", "SHOW PROJECT PROFILES", "SHOW BLUEPRINTS", "SHOW GLOSSARY",
            "DESCRIBE PROJECT marketing", "DESCRIBE PROJECT finance", "DESCRIBE ASSET marketing.mkt_sls_table", "DESCRIBE ASSET marketing.campaigns",
            "SHOW ASSETS IN PROJECT marketing", "SEARCH CATALOG 'sales campaigns revenue forecast'", "SHOW SUBSCRIPTION REQUESTS",
            "SHOW SUBSCRIPTIONS FOR PROJECT ml_research", "SHOW AUDIT",
            // Refusals and errors a curious user can provoke.
            "DESCRIBE ASSET marketing.draft_forecast", "SHOW SUBSCRIPTIONS FOR PROJECT marketing", "SHOW MEMBERS OF PROJECT marketing",
            "SHOW EFFECTIVE POLICY ON marketing.mkt_sls_table FOR PROJECT ml_research", "CREATE ASSET marketing.x FROM 'sales/*.parquet'",
            "CREATE ASSET ml_research.x FROM '../../acct_marketing/marketing/sales/*.parquet'", "CREATE ASSET ml_research.x FROM 'sales/*.parquet'",
            "PUBLISH ASSET marketing.draft_forecast", "CREATE PROJECT x ACCOUNT acct_marketing PROFILE sql_analytics",
        };
        var forbidden = new[] { fixture.DataDirectory, "file://", "/accounts/", ".git" };
        await using var carol = await fixture.OpenAsync("carol");
        // The probe: an insider's answers to the same statements do contain locations.
        var insider = new List<string>();
        foreach (var sql in statements.Take(10)) insider.AddRange(Cells(await carol.QueryAsync(sql)));
        Assert.Contains(insider, c => c.Contains(fixture.DataDirectory, StringComparison.Ordinal));

        var name = AdminSql.Unique("nomember");
        await carol.ExecAsync($"CREATE USER {name} PASSWORD '{name}'");
        await using var user = await fixture.OpenAsync(name, name);
        foreach (var sql in statements)
        {
            IEnumerable<string> texts;
            try
            {
                texts = Cells(await user.QueryAsync(sql));
            }
            catch (PostgresException e)
            {
                texts = [e.MessageText, e.Detail ?? "", e.Hint ?? ""];
            }
            foreach (var text in texts)
                foreach (var secret in forbidden)
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"[{sql}] shows a non-member \"{secret}\": {text}");
        }
    }
}
