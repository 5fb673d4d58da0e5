using System.Net;
using DataMesh.Gateway.Demo;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>
/// Sign-in with an identity provider's token through the wire's validator and trusted issuers (the demo issuer here),
/// over HTTPS only, and the session that ends with the token.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PortalSignInTests(PortalFixture fixture)
{
    private string Token(string user, TimeSpan lifetime, params string[] groups) => DemoIdentity.Mint(fixture.DataDirectory, user, groups, lifetime);

    [Fact]
    public async Task A_token_of_a_trusted_issuer_signs_in_and_its_groups_give_project_roles()
    {
        using var erin = new Browser(fixture.Portal);
        erin.Go("/login");
        erin.Type("#token", Token("erin", TimeSpan.FromHours(1), "analysts"));
        erin.Click("#sign-in-token");
        Assert.Equal("erin", erin.SignedInUser);

        // analysts are viewers of ml_research: erin queries it, under the project's grant, as the wire would let her.
        erin.Go("/query?project=ml_research");
        erin.Type("#sql", "SELECT region, count(*) FROM mkt_sls_table GROUP BY region");
        erin.Click("#run-button");
        Assert.False(erin.Exists("#error"), erin.Exists("#error") ? erin.Text("#error") : "");
        var wire = await fixture.SqlAsync("bob", "ml_research", "SELECT region, count(*) FROM mkt_sls_table GROUP BY region");
        Assert.Equal(wire.Select(r => string.Join("|", r)),
            erin.FindAll("#result tbody tr").Select(r => string.Join("|", r.FindElements(OpenQA.Selenium.By.TagName("td")).Select(c => c.Text))));
        // The audit names the token's issuer and subject next to the user, as for a wire session.
        var audit = await fixture.SqlAsync("carol", "postgres", "SHOW AUDIT USER erin LIMIT 5");
        Assert.Contains(audit, r => r[6] == "query" && r[3] == DemoIdentity.Issuer && r[4] == "demo|erin");
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("expired")]
    [InlineData("local user")]
    public async Task A_bad_token_is_refused_and_no_session_is_issued(string kind)
    {
        var token = kind switch
        {
            "tampered" => Token("erin", TimeSpan.FromHours(1))[..^4] + "AAAA",
            "expired" => Token("erin", TimeSpan.FromMinutes(-10)),
            _ => Token("alice", TimeSpan.FromHours(1)), // a token can never sign in as a local user
        };
        using var client = new PortalClient(fixture.Portal);
        var response = await client.PostFromPageAsync("/login", "/login?handler=Token", ("token", token));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Identity token rejected: ", await response.Content.ReadAsStringAsync());
        Assert.Null(client.Cookie("__Host-datamesh-session"));
    }

    [Fact]
    public async Task A_token_session_ends_when_the_token_expires()
    {
        using var client = new PortalClient(fixture.Portal);
        var response = await client.PostFromPageAsync("/login", "/login?handler=Token", ("token", Token("frank", TimeSpan.FromSeconds(4), "analysts")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/search")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = await client.GetAsync("/search");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/login", new Uri(fixture.Portal, after.Headers.Location!).AbsolutePath);
    }
}
