using System.Globalization;
using DataMesh.Gateway.Tests.Infrastructure;
using OpenQA.Selenium;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>
/// Every page's data against the SQL commands' answers for the same user, read from the rendered pages in the browser:
/// search hits and their order, browsing, the inbox, subscriptions, the asset's columns, members, and the audit log.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PortalDataTests(PortalFixture fixture)
{
    private static readonly string[] Users = ["alice", "bob", "dave", "carol"];

    [Fact]
    public async Task Search_hits_and_their_order_are_search_catalogs_for_every_user()
    {
        string[] queries = ["sales", "campaign", "revenue forecast", "PII", "region", "alice", "o'brien", "zzz nothing"];
        foreach (var user in Users)
        {
            var browser = fixture.SignedIn(user);
            foreach (var query in queries)
            {
                browser.Go("/search?q=" + Uri.EscapeDataString(query));
                var hits = browser.FindAll("#results .hit").Select(h => h.GetAttribute("data-asset")).ToList();
                var sql = (await fixture.SqlAsync(user, "postgres", $"SEARCH CATALOG '{query.Replace("'", "''")}'")).Select(r => (string?)$"{r[1]}.{r[0]}").ToList();
                Assert.True(sql.SequenceEqual(hits), $"{user}, '{query}': portal [{string.Join(", ", hits)}], SQL [{string.Join(", ", sql)}]");
            }
        }
    }

    [Fact]
    public async Task Facets_narrow_the_hits_and_keep_their_order()
    {
        var alice = fixture.SignedIn("alice");
        alice.Go("/search?q=revenue&term=PII");
        var sql = (await fixture.SqlAsync("alice", "postgres", "SEARCH CATALOG 'revenue'"))
            .Where(r => r[5]!.Split(", ").Contains("PII")).Select(r => (string?)$"{r[1]}.{r[0]}").ToList();
        Assert.NotEmpty(sql);
        Assert.Equal(sql, alice.FindAll("#results .hit").Select(h => h.GetAttribute("data-asset")).ToList());
        Assert.Equal("true", alice.Find("a.facet.selected").GetAttribute("aria-current"));
        alice.Go("/search?q=revenue&key=classification");
        Assert.All(alice.FindAll("#results .hit"), h => Assert.Equal("marketing.mkt_sls_table", h.GetAttribute("data-asset")));
    }

    [Fact]
    public async Task Browsing_lists_exactly_the_assets_show_assets_lists_for_every_user()
    {
        var projects = (await fixture.SqlAsync("carol", "postgres", "SHOW PROJECTS")).Select(r => r[0]!).ToList();
        foreach (var user in Users)
        {
            var expected = new List<string?>();
            foreach (var project in projects.Order(StringComparer.Ordinal))
                expected.AddRange((await fixture.SqlAsync(user, "postgres", $"SHOW ASSETS IN PROJECT {project}")).Select(r => r[0]).Order(StringComparer.Ordinal).Select(a => (string?)$"{project}.{a}"));
            var browser = fixture.SignedIn(user);
            browser.Go("/search");
            Assert.Equal(expected, browser.FindAll("#results .hit").Select(h => h.GetAttribute("data-asset")).ToList());
        }
    }

    [Fact]
    public async Task The_inbox_is_show_subscription_requests_for_every_user()
    {
        foreach (var user in Users)
        {
            var sql = await fixture.SqlAsync(user, "postgres", "SHOW SUBSCRIPTION REQUESTS");
            var browser = fixture.SignedIn(user);
            browser.Go("/requests");
            var rows = browser.FindAll("#requests tbody tr");
            Assert.Equal(sql.Select(r => r[0]), rows.Select(r => r.GetAttribute("data-subscription")));
            for (var i = 0; i < sql.Count; i++)
            {
                Assert.Equal(sql[i][5], rows[i].FindElement(By.CssSelector(".justification")).Text);
                Assert.Equal(sql[i][6] == "True", rows[i].FindElements(By.CssSelector($"#review-{sql[i][0]}")).Count == 1);
            }
        }
    }

    [Fact]
    public async Task The_asset_page_shows_describe_assets_columns_and_the_callers_subscriptions()
    {
        var bob = fixture.SignedIn("bob");
        bob.Go("/assets/marketing/mkt_sls_table");
        var describe = await fixture.SqlAsync("bob", "postgres", "DESCRIBE ASSET marketing.mkt_sls_table");
        Assert.Equal(describe.Where(r => r[0] == "column").Select(r => $"{r[1]}|{r[2]}|{r[3]}"),
            bob.FindAll("#columns tbody tr").Select(r => string.Join("|", r.FindElement(By.TagName("th")).Text, r.FindElements(By.TagName("td"))[0].Text, r.FindElements(By.TagName("td"))[1].Text)));
        Assert.Equal(describe.Where(r => r[0] == "metadata").Select(r => $"{r[1]}={r[2]}"),
            bob.FindAll("#metadata tbody tr").Select(r => r.FindElement(By.TagName("th")).Text + "=" + r.FindElement(By.TagName("td")).Text));
        var subscriptions = (await fixture.SqlAsync("bob", "postgres", "SHOW SUBSCRIPTIONS FOR PROJECT ml_research")).Where(r => r[1] == "marketing.mkt_sls_table").ToList();
        var shown = bob.FindAll("#my-subscriptions tbody tr");
        Assert.Equal(subscriptions.Select(r => $"{r[0]}|{r[2]}|{r[6]}|{r[7]}|{r[8]}|{r[9]}"),
            shown.Select(r => r.FindElements(By.TagName("td")) is var c ? $"{c[0].Text}|{c[2].Text}|{c[3].Text}|{c[4].Text}|{c[5].Text}|{c[6].Text}" : ""));

        // The owner also sees every subscription to the asset, as DESCRIBE ASSET shows owners.
        var alice = fixture.SignedIn("alice");
        alice.Go("/assets/marketing/mkt_sls_table");
        var owner = await fixture.SqlAsync("alice", "postgres", "DESCRIBE ASSET marketing.mkt_sls_table");
        Assert.Equal(owner.Where(r => r[0] == "subscription").Select(r => $"{r[1]}|{r[2]}|{r[3]}"),
            alice.FindAll("#owner-subscriptions tbody tr").Select(r => string.Join("|", r.FindElements(By.TagName("td")).Select(c => c.Text))));
        Assert.True(alice.Exists("#drift"));
        Assert.False(bob.Exists("#owner-subscriptions"));
        Assert.False(bob.Exists("#drift"));
    }

    [Fact]
    public async Task The_audit_page_is_show_audit_with_the_same_filters()
    {
        // bob reads alice's asset: alice (a producer) sees the read, dave does not.
        await fixture.SqlAsync("bob", "ml_research", "SELECT count(*) FROM mkt_sls_table");
        await Task.Delay(1500); // query records are written in batches
        var until = DateTime.UtcNow.AddSeconds(-1).ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", CultureInfo.InvariantCulture);
        await Task.Delay(1100);
        (string User, string Filters, string Sql)[] cases =
        [
            ("alice", "", ""),
            ("alice", "&asset=marketing.mkt_sls_table", " ASSET marketing.mkt_sls_table"),
            ("alice", "&user=bob", " USER bob"),
            ("bob", "", ""),
            ("bob", "&project=ml_research", " PROJECT ml_research"),
            ("dave", "&user=bob", " USER bob"),
            ("carol", "&limit=20", ""),
        ];
        foreach (var (user, filters, sql) in cases)
        {
            var limit = filters.Contains("limit=20", StringComparison.Ordinal) ? 20 : 100;
            var expected = (await fixture.SqlAsync(user, "postgres", $"SHOW AUDIT{sql} UNTIL '{until}' LIMIT {limit}")).Select(r => r[0]).ToList();
            var browser = fixture.SignedIn(user);
            browser.Go($"/audit?until={Uri.EscapeDataString(until)}{filters}");
            Assert.Equal(expected, browser.FindAll("#audit tbody tr").Select(r => r.GetAttribute("data-id")).ToList());
            if (user == "alice" && sql.Contains("ASSET", StringComparison.Ordinal))
                Assert.Contains(browser.FindAll("#audit tbody tr td:nth-child(3)"), c => c.Text == "bob");
            if (user == "dave") Assert.Empty(expected);
        }
    }
}
