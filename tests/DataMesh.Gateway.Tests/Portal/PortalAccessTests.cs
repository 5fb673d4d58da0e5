using System.Net;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>Who may see what: a non-member is refused the project's data and its editor with the wire's own errors.</summary>
[Collection(PortalCollection.Name)]
public sealed class PortalAccessTests(PortalFixture fixture)
{
    [Fact]
    public async Task A_non_member_is_refused_the_editor_and_the_projects_member_only_parts()
    {
        using var dave = new Browser(fixture.Portal);
        dave.SignIn("dave");
        dave.Go("/query?project=ml_research");
        Assert.Equal("42501", dave.Text("#error .sqlstate"));
        Assert.Equal("permission denied for database \"ml_research\"", dave.Text("#error .message"));
        Assert.DoesNotContain("ml_research", dave.FindAll("#project option").Where(o => o.Selected).Select(o => o.Text).Where(_ => false));

        // The form can be forged to name the project: the run is refused the same way, nothing runs, nothing is shown.
        using var client = new PortalClient(fixture.Portal);
        await client.SignInAsync("dave");
        var run = await client.PostFromPageAsync("/query", "/query", ("project", "ml_research"), ("sql", "SELECT * FROM mkt_sls_table"));
        Assert.Equal(HttpStatusCode.Forbidden, run.StatusCode);
        var html = await run.Content.ReadAsStringAsync();
        Assert.Contains("permission denied for database &quot;ml_research&quot;", html);
        Assert.DoesNotContain("id=\"result\"", html);
        foreach (var handler in new[] { "Csv", "Parquet" })
        {
            var download = await client.PostFromPageAsync("/query", $"/query?handler={handler}", ("project", "ml_research"), ("sql", "SELECT * FROM mkt_sls_table"));
            Assert.Equal(HttpStatusCode.Forbidden, download.StatusCode);
            Assert.StartsWith("text/html", download.Content.Headers.ContentType!.ToString());
        }

        // The project page: what everyone may know, and the members-only parts refused with SHOW MEMBERS' own error.
        dave.Go("/projects/ml_research");
        Assert.Equal("not a member", dave.Text("#your-role"));
        Assert.True(dave.Exists("#members-only"));
        Assert.Equal("42501", dave.Text("#error .sqlstate"));
        Assert.False(dave.Exists("#members"));
        Assert.False(dave.Exists("#resources"));
        Assert.False(dave.Exists("#project-subscriptions"));
        Assert.False(dave.Exists("#workspace-tables"));
        Assert.False(dave.Exists("#query-link"));

        // An inventory asset does not exist for non-members (404), as DESCRIBE ASSET says 42704.
        using var inventory = await client.GetAsync("/assets/marketing/draft_forecast");
        Assert.Equal(HttpStatusCode.NotFound, inventory.StatusCode);
        using var alice = new PortalClient(fixture.Portal);
        await alice.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/assets/marketing/draft_forecast")).StatusCode);
    }

    [Fact]
    public async Task A_member_sees_the_whole_project_page_as_the_sql_commands_answer()
    {
        using var bob = new Browser(fixture.Portal);
        bob.SignIn("bob");
        bob.Go("/projects/ml_research");
        Assert.Equal("contributor", bob.Text("#your-role"));
        var members = bob.FindAll("#members tbody tr").Select(r => string.Join("|", r.FindElements(OpenQA.Selenium.By.TagName("td")).Select(c => c.Text))).ToList();
        var sqlMembers = (await fixture.SqlAsync("bob", "postgres", "SHOW MEMBERS OF PROJECT ml_research")).Select(r => string.Join("|", r)).ToList();
        Assert.Equal(sqlMembers, members);
        var subscriptions = bob.FindAll("#project-subscriptions tbody tr").Select(r => r.GetAttribute("data-subscription") + "|" + r.FindElement(OpenQA.Selenium.By.CssSelector(".badge")).Text).ToList();
        var sqlSubscriptions = (await fixture.SqlAsync("bob", "postgres", "SHOW SUBSCRIPTIONS FOR PROJECT ml_research")).Select(r => r[0] + "|" + r[2]).ToList();
        Assert.Equal(sqlSubscriptions, subscriptions);
        Assert.Contains("workspace", bob.FindAll("#resources th").Select(t => t.Text));
        var tables = await fixture.SqlAsync("bob", "ml_research", "SELECT table_name FROM information_schema.tables WHERE table_schema = 'workspace' ORDER BY table_name");
        Assert.Equal(tables.Select(t => "workspace." + t[0]), bob.FindAll("#workspace-tables li code").Select(c => c.Text));
        bob.Screenshot("project");
    }

    [Fact]
    public async Task A_workspace_table_made_in_the_editor_shows_on_the_project_page()
    {
        using var bob = new PortalClient(fixture.Portal);
        await bob.SignInAsync("bob");
        var table = "t" + Guid.NewGuid().ToString("N")[..8];
        var made = await bob.PostFromPageAsync("/query", "/query", ("project", "ml_research"),
            ("sql", $"CREATE TABLE workspace.{table} AS SELECT region, count(*) AS n FROM mkt_sls_table GROUP BY region"));
        var html = await made.Content.ReadAsStringAsync();
        Assert.True(html.Contains("command-tag", StringComparison.Ordinal), html[html.IndexOf("<main", StringComparison.Ordinal)..]);
        Assert.Contains("<p class=\"tag\" id=\"command-tag\">SELECT 1</p>", html);
        var page = await (await bob.GetAsync("/projects/ml_research")).Content.ReadAsStringAsync();
        Assert.Contains($"<code>workspace.{table}</code>", page);
        Assert.Equal([["Europe", "250000"]], (await fixture.SqlAsync("bob", "ml_research", $"SELECT * FROM workspace.{table}")).Select(r => r.ToArray()));
        await fixture.SqlAsync("bob", "ml_research", $"DROP TABLE workspace.{table}");
    }
}
