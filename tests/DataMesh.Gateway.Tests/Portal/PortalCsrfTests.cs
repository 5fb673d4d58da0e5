using System.Net;
using System.Security.Cryptography.X509Certificates;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>
/// Cross-site request forgery against the owner's inbox: a hostile page makes alice's browser post a rejection of a
/// pending request. Every attempt must leave the request pending; the last test shows the same rejection goes through
/// from the portal's own page, so the probes are real requests that would work with a valid token.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PortalCsrfTests(PortalFixture fixture)
{
    private const string SessionCookie = "__Host-datamesh-session";

    [Fact]
    public async Task A_same_site_page_posting_with_alices_cookies_but_no_token_is_refused_and_changes_nothing()
    {
        var id = await PendingRequestAsync("attack one");
        using var alice = new Browser(fixture.Portal);
        alice.SignIn("alice");
        // Same scheme and host as the portal, another port: the browser sends the SameSite=Strict cookies along.
        using var site = new AttackerSite(AttackerSite.AutoPost(new Uri(fixture.Portal, $"/requests/{id}?handler=Reject"), ("RejectComment", "forged")), Certificate());
        alice.Driver.Navigate().GoToUrl(site.Url("127.0.0.1"));
        WaitForPortal(alice);
        Assert.Contains("HTTP 400", alice.Text("#status"));
        Assert.Equal("pending", await StatusAsync(id));
        // Still signed in: the forged post did not end the session either.
        alice.Go("/requests");
        Assert.Equal("alice", alice.SignedInUser);
    }

    [Fact]
    public async Task A_cross_site_page_gets_no_session_at_all()
    {
        var id = await PendingRequestAsync("attack two");
        using var alice = new Browser(fixture.Portal);
        alice.SignIn("alice");
        using var site = new AttackerSite(AttackerSite.AutoPost(new Uri(fixture.Portal, $"/requests/{id}?handler=Reject"), ("RejectComment", "forged")), null);
        alice.Driver.Navigate().GoToUrl(site.Url("localhost"));
        WaitForPortal(alice);
        Assert.Null(alice.SignedInUser); // SameSite=Strict: the cross-site post carried no session
        Assert.Equal("pending", await StatusAsync(id));
    }

    [Fact]
    public async Task A_post_with_the_session_cookie_but_without_or_with_another_users_token_is_400()
    {
        var id = await PendingRequestAsync("attack three");
        using var alice = new PortalClient(fixture.Portal);
        Assert.Equal(HttpStatusCode.Redirect, (await alice.SignInAsync("alice")).StatusCode);
        using var bob = new PortalClient(fixture.Portal);
        await bob.SignInAsync("bob");
        var bobsToken = await bob.TokenAsync("/search");

        var none = await alice.PostAsync($"/requests/{id}?handler=Reject", [KeyValuePair.Create("RejectComment", "forged")]);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        var foreign = await alice.PostAsync($"/requests/{id}?handler=Reject",
            [KeyValuePair.Create("RejectComment", "forged"), KeyValuePair.Create("__RequestVerificationToken", bobsToken)]);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal("pending", await StatusAsync(id));

        // The probe is real: the same post with the token of alice's own page rejects the request.
        var genuine = await alice.PostFromPageAsync($"/requests/{id}", $"/requests/{id}?handler=Reject", ("RejectComment", "not now"));
        Assert.Equal(HttpStatusCode.Redirect, genuine.StatusCode);
        Assert.Equal("rejected", await StatusAsync(id));
    }

    [Fact]
    public async Task The_sign_in_form_needs_its_token_too()
    {
        using var client = new PortalClient(fixture.Portal);
        var forged = await client.PostAsync("/login?handler=Password", [KeyValuePair.Create("user", "bob"), KeyValuePair.Create("password", "bob")]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(client.Cookie(SessionCookie));
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("bob")).StatusCode);
        Assert.NotNull(client.Cookie(SessionCookie));
    }

    [Fact]
    public void Every_form_that_posts_carries_an_anti_forgery_token()
    {
        using var alice = new Browser(fixture.Portal);
        alice.Go("/login");
        var pages = new List<string> { "/login" };
        alice.SignIn("alice");
        pages.AddRange(["/search", "/assets/marketing/campaigns", "/requests", "/requests/2", "/projects/marketing", "/query?project=marketing", "/audit", "/notifications"]);
        var checkedForms = 0;
        foreach (var page in pages)
        {
            alice.Go(page);
            var tokens = (IReadOnlyCollection<object>)alice.Driver.ExecuteScript(
                "return Array.from(document.querySelectorAll('form')).filter(f => f.method === 'post')" +
                ".map(f => f.querySelectorAll('input[name=\"__RequestVerificationToken\"]').length);")!;
            Assert.NotEmpty(tokens);
            Assert.All(tokens, count => Assert.Equal(1L, Convert.ToInt64(count)));
            checkedForms += tokens.Count;
        }
        Assert.True(checkedForms >= 9, $"only {checkedForms} forms were found"); // sign-in, sign-out on each page, request, query, decide…
    }

    private static void WaitForPortal(Browser browser)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!browser.Url.StartsWith(browser.Portal.ToString(), StringComparison.Ordinal) || browser.Driver.ExecuteScript("return document.readyState;") as string != "complete")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the hostile page did not post to the portal (at {browser.Url})");
            Thread.Sleep(50);
        }
    }

    private X509Certificate2 Certificate() => X509Certificate2.CreateFromPemFile(
        Path.Combine(fixture.DataDirectory, "server.crt"), Path.Combine(fixture.DataDirectory, "server.key"));

    /// <summary>A fresh pending request of finance (dave) to an asset alice owns.</summary>
    private async Task<string> PendingRequestAsync(string why)
    {
        var asset = $"marketing.csrf_{Guid.NewGuid():N}"[..30];
        await fixture.SqlAsync("alice", "postgres", $"CREATE ASSET {asset} FROM 'campaigns/*.parquet'");
        await fixture.SqlAsync("alice", "postgres", $"PUBLISH ASSET {asset}");
        return (await fixture.SqlAsync("dave", "postgres", $"REQUEST SUBSCRIPTION TO {asset} FOR PROJECT finance JUSTIFICATION '{why}'"))[0][0]!;
    }

    private async Task<string?> StatusAsync(string id) =>
        (await fixture.SqlAsync("dave", "postgres", "SHOW SUBSCRIPTIONS FOR PROJECT finance")).Single(r => r[0] == id)[2];
}
