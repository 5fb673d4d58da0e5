using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>
/// The portal's whole story in a real browser: bob searches, opens the asset, requests it for his project; alice
/// previews a grant with a row filter and a mask, then approves it; bob runs a query in the editor and sees exactly
/// what the grant allows, and the same rows the wire gives him. Each step is checked against the SQL answer for the
/// same user.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PortalStoryTests(PortalFixture fixture)
{
    [Fact]
    public async Task Bob_requests_alice_previews_and_approves_bob_queries_only_what_the_grant_allows()
    {
        using var bob = new Browser(fixture.Portal);
        bob.SignIn("bob");
        Assert.Equal("bob", bob.SignedInUser);
        Assert.EndsWith("/search", bob.Url);
        bob.Screenshot("catalog");

        // Search: the same hits in the same order as SEARCH CATALOG for bob.
        bob.Type("#q", "campaign");
        bob.Click("#search-button");
        var hits = bob.FindAll("#results .hit").Select(h => h.GetAttribute("data-asset")!).ToList();
        var expected = (await fixture.SqlAsync("bob", "postgres", "SEARCH CATALOG 'campaign'")).Select(r => $"{r[1]}.{r[0]}").ToList();
        Assert.Equal(expected, hits);
        Assert.Contains("marketing.campaigns", hits);
        bob.Screenshot("search");

        // The asset page, then the request.
        bob.Navigate(() => bob.Driver.FindElement(OpenQA.Selenium.By.LinkText("marketing.campaigns")).Click());
        Assert.EndsWith("/assets/marketing/campaigns", bob.Url);
        Assert.Equal("marketing.campaigns", bob.Text("#asset-name"));
        Assert.Equal("marketing", bob.Text("#owner-project"));
        Assert.Equal(["campaign_id", "name", "channel", "starts_on", "budget"], bob.FindAll("#columns tbody th code").Select(c => c.Text).ToList());
        Assert.True(bob.Exists("#no-subscriptions"));
        bob.Type("#Justification", "campaign response features for the churn model");
        bob.Click("#request-button");
        Assert.Matches(@"^Subscription request (\d+) filed for project ml_research: pending\.$", bob.Text("#flash"));
        var id = long.Parse(System.Text.RegularExpressions.Regex.Match(bob.Text("#flash"), @"\d+").Value);
        Assert.Equal("pending", bob.Text($"#my-subscriptions tr[data-subscription='{id}'] .badge"));
        bob.Screenshot("asset");

        // Alice's inbox shows the request with its justification, as SHOW SUBSCRIPTION REQUESTS does.
        using var alice = new Browser(fixture.Portal);
        alice.SignIn("alice");
        alice.Go("/requests");
        var inbox = alice.FindAll("#requests tbody tr").Select(r => (string?)r.GetAttribute("data-subscription")).ToList();
        var pending = await fixture.SqlColumnAsync("alice", "postgres", "SHOW SUBSCRIPTION REQUESTS", "subscription");
        Assert.Equal(pending, inbox);
        Assert.Equal("campaign response features for the churn model", alice.Text($"#requests tr[data-subscription='{id}'] .justification"));
        alice.Screenshot("requests");

        // The decision page: a row filter and a mask, previewed first.
        alice.Click($"#review-{id}");
        alice.Type("#row-filter", "channel = 'email'");
        var nameRow = alice.FindAll("#column-choices tbody tr").Single(r => r.FindElement(OpenQA.Selenium.By.CssSelector("th code")).Text == "name");
        nameRow.FindElement(OpenQA.Selenium.By.CssSelector("select option[value='partial']")).Click();
        var keep = nameRow.FindElement(OpenQA.Selenium.By.CssSelector("input[name$='KeepFirst']"));
        keep.Clear();
        keep.SendKeys("3");
        alice.Click("#preview-button");
        Assert.False(alice.Exists("#error"), alice.Exists("#error") ? alice.Text("#error") : "");
        var emailRows = (await fixture.SqlAsync("alice", "marketing", "SELECT count(*) FROM campaigns WHERE channel = 'email'"))[0][0];
        Assert.Equal(emailRows, alice.Text("#preview-count"));
        var previewChannels = alice.FindAll("#preview tbody tr td:nth-child(3)").Select(c => c.Text).Distinct().ToList();
        Assert.Equal(["email"], previewChannels);
        Assert.All(alice.FindAll("#preview tbody tr td:nth-child(2)"), c => Assert.Matches(@"^Cam\*+$", c.Text));
        Assert.Equal("pending", (await fixture.SqlAsync("bob", "postgres", "SHOW SUBSCRIPTIONS FOR PROJECT ml_research"))
            .Single(r => r[0] == id.ToString())[2]); // a preview decides nothing
        alice.Screenshot("request-preview");

        // The form kept its values: approve exactly what was previewed.
        Assert.Equal("channel = 'email'", alice.Find("#row-filter").GetAttribute("value"));
        alice.Click("#approve-button");
        Assert.EndsWith("/requests", alice.Url);
        Assert.StartsWith($"Subscription {id} approved.", alice.Text("#flash"));
        var stored = (await fixture.SqlAsync("bob", "postgres", "SHOW SUBSCRIPTIONS FOR PROJECT ml_research")).Single(r => r[0] == id.ToString());
        Assert.Equal(new string?[] { "approved", "channel = 'email'", "name USING partial(3, 0)" }, new[] { stored[2], stored[6], stored[8] });

        // Bob's editor: only the e-mail campaigns, names masked, the same rows as over the wire.
        const string query = "SELECT campaign_id, name, channel, budget FROM campaigns ORDER BY campaign_id";
        bob.Go("/query?project=ml_research");
        bob.Type("#sql", query);
        bob.Click("#run-button");
        Assert.False(bob.Exists("#error"), bob.Exists("#error") ? bob.Text("#error") : "");
        var grid = bob.FindAll("#result tbody tr").Select(r => r.FindElements(OpenQA.Selenium.By.TagName("td")).Select(c => c.Text).ToArray()).ToList();
        var wire = await fixture.SqlAsync("bob", "ml_research", query);
        Assert.Equal(wire.Select(r => string.Join("|", r)), grid.Select(r => string.Join("|", r)));
        Assert.Equal(int.Parse(emailRows!), grid.Count);
        Assert.All(grid, r => Assert.Equal("email", r[2]));
        Assert.All(grid, r => Assert.Matches(@"^Cam\*+$", r[1]));
        Assert.Equal(["campaign_id", "name", "channel", "budget"], bob.FindAll("#result thead th").Select(h => h.Text).ToList());
        bob.Screenshot("query");

        // Audited as the wire audits it: a query record of bob in ml_research naming the asset and the subscription.
        var audit = await fixture.SqlAsync("bob", "postgres", "SHOW AUDIT LIMIT 50");
        Assert.Contains(audit, r => r[2] == "bob" && r[5] == "ml_research" && r[6] == "query" && r[11] == query && r[12] == "marketing.campaigns"
            && r[13] == id.ToString() && r[15] == emailRows);
    }
}
