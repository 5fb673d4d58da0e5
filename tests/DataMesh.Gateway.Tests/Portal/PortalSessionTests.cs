using System.Net;
using DataMesh.Gateway.Tests.Infrastructure;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>
/// Sessions: the cookie's attributes, a new session id at every sign-in (a planted id never becomes the victim's
/// session), sign-out that kills the cookie everywhere, and sign-in failures that say nothing about which part was wrong.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PortalSessionTests(PortalFixture fixture)
{
    private const string SessionCookie = "__Host-datamesh-session";

    [Fact]
    public void The_session_cookie_is_host_only_secure_http_only_and_same_site_strict()
    {
        using var bob = new Browser(fixture.Portal);
        bob.SignIn("bob");
        var cookies = bob.Driver.Manage().Cookies.AllCookies;
        var session = Assert.Single(cookies, c => c.Name == SessionCookie);
        Assert.True(session.Secure);
        Assert.True(session.IsHttpOnly);
        Assert.Equal("Strict", session.SameSite);
        Assert.Equal("/", session.Path);
        Assert.Null(session.Expiry); // ends with the browser; the server ends it after 30 idle minutes
        var csrf = Assert.Single(cookies, c => c.Name == "__Host-datamesh-csrf");
        Assert.True(csrf.Secure && csrf.IsHttpOnly);
        Assert.Equal("Strict", csrf.SameSite);
        // Script cannot read either: HttpOnly keeps them out of document.cookie.
        Assert.Equal("", bob.Driver.ExecuteScript("return document.cookie;"));
    }

    [Fact]
    public async Task A_session_id_planted_before_sign_in_never_becomes_the_victims_session()
    {
        // The attacker signs in as dave and plants dave's session id in bob's browser.
        using var attacker = new PortalClient(fixture.Portal);
        await attacker.SignInAsync("dave");
        var planted = attacker.Cookie(SessionCookie)!;
        using var victim = new Browser(fixture.Portal);
        victim.Go("/login");
        victim.Driver.Manage().Cookies.AddCookie(new OpenQA.Selenium.Cookie(SessionCookie, planted, null, "/", null, true, true, "Strict"));
        victim.Go("/search");
        Assert.Equal("dave", victim.SignedInUser); // the planted id is live: the attack's precondition holds

        victim.SignIn("bob");
        Assert.Equal("bob", victim.SignedInUser);
        var issued = victim.Cookie(SessionCookie);
        Assert.NotNull(issued);
        Assert.NotEqual(planted, issued);
        // The attacker's id did not become bob's session: it was ended by bob's sign-in.
        var replay = await attacker.GetAsync("/search");
        Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
        Assert.Equal("/login", new Uri(fixture.Portal, replay.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task An_invented_session_id_is_ignored_and_sign_in_issues_a_new_one()
    {
        using var client = new PortalClient(fixture.Portal);
        client.SetCookie(fixture.Portal, SessionCookie, "CfDJ8invented-session-id");
        var page = await client.GetAsync("/search");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("bob")).StatusCode);
        Assert.NotEqual("CfDJ8invented-session-id", client.Cookie(SessionCookie));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/search")).StatusCode);
    }

    [Fact]
    public async Task Signing_in_again_and_signing_out_end_the_old_session_everywhere()
    {
        using var client = new PortalClient(fixture.Portal);
        await client.SignInAsync("bob");
        var first = client.Cookie(SessionCookie)!;
        await client.SignInAsync("bob");
        var second = client.Cookie(SessionCookie)!;
        Assert.NotEqual(first, second);

        using var thief = new PortalClient(fixture.Portal);
        thief.SetCookie(fixture.Portal, SessionCookie, first);
        Assert.Equal(HttpStatusCode.Redirect, (await thief.GetAsync("/search")).StatusCode);
        thief.SetCookie(fixture.Portal, SessionCookie, second);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/search")).StatusCode); // a stolen live cookie works…

        var signOut = await client.PostFromPageAsync("/search", "/logout", []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var after = await thief.GetAsync("/search"); // …until its owner signs out
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/login", new Uri(fixture.Portal, after.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_fail_alike_and_no_session_is_issued()
    {
        using var client = new PortalClient(fixture.Portal);
        var wrong = await client.SignInAsync("bob", "not-bobs");
        var unknown = await client.SignInAsync("nobody-here", "whatever");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var a = await wrong.Content.ReadAsStringAsync();
        var b = await unknown.Content.ReadAsStringAsync();
        Assert.Contains("Sign-in failed: wrong user name or password.", a);
        Assert.Contains("Sign-in failed: wrong user name or password.", b);
        Assert.Null(client.Cookie(SessionCookie));
    }

    [Fact]
    public async Task A_password_change_ends_the_users_portal_sessions()
    {
        await fixture.SqlAsync("carol", "postgres", "CREATE USER zed PASSWORD 'zed'");
        using var client = new PortalClient(fixture.Portal);
        await client.SignInAsync("zed");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/search")).StatusCode);
        await fixture.SqlAsync("carol", "postgres", "ALTER USER zed WITH PASSWORD 'zed-2'");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/search")).StatusCode);
        await fixture.SqlAsync("carol", "postgres", "DROP USER zed");
    }

    [Fact]
    public async Task Return_url_after_sign_in_stays_on_the_portal()
    {
        using var client = new PortalClient(fixture.Portal);
        var toPage = await client.PostFromPageAsync("/login?returnUrl=%2Faudit", "/login?handler=Password", ("user", "bob"), ("password", "bob"), ("returnUrl", "/audit"));
        Assert.Equal("/audit", toPage.Headers.Location!.OriginalString);
        using var other = new PortalClient(fixture.Portal);
        var away = await other.PostFromPageAsync("/login", "/login?handler=Password", ("user", "bob"), ("password", "bob"), ("returnUrl", "https://evil.example/"));
        Assert.Equal("/search", away.Headers.Location!.OriginalString);
    }
}
