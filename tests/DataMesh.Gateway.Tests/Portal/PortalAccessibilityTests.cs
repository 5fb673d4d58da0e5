using DataMesh.Gateway.Tests.Infrastructure;
using OpenQA.Selenium;

namespace DataMesh.Gateway.Tests.Portal;

/// <summary>
/// Every page readable without script and usable by keyboard: no script at all, a language, one h1, a skip link that
/// is the first stop, a label for every control, captions and header scopes on tables.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PortalAccessibilityTests(PortalFixture fixture)
{
    private const string Audit = """
        const problems = [];
        if (document.scripts.length > 0) problems.push('scripts: ' + document.scripts.length);
        if (!document.documentElement.lang) problems.push('no lang');
        if (document.querySelectorAll('h1').length !== 1) problems.push('h1 count ' + document.querySelectorAll('h1').length);
        if (!document.title) problems.push('no title');
        for (const c of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
          const labelled = (c.id && document.querySelector('label[for="' + c.id + '"]')) || c.getAttribute('aria-label') || c.closest('label');
          if (!labelled) problems.push('unlabelled ' + c.tagName + ' ' + (c.name || c.id));
        }
        for (const t of document.querySelectorAll('table')) {
          if (!t.querySelector('caption')) problems.push('table without caption ' + t.id);
          for (const th of t.querySelectorAll('thead th')) if (th.getAttribute('scope') !== 'col') problems.push('th without scope in ' + t.id);
        }
        for (const b of document.querySelectorAll('button')) if (!b.textContent.trim()) problems.push('button without text');
        for (const a of document.querySelectorAll('a')) if (!a.textContent.trim()) problems.push('link without text ' + a.href);
        return problems;
        """;

    [Fact]
    public void Every_page_has_labels_captions_one_heading_and_no_script()
    {
        var alice = fixture.SignedIn("alice");
        string[] pages = ["/search", "/search?q=sales", "/assets/marketing/mkt_sls_table", "/requests", "/requests/2", "/projects/marketing",
            "/projects/finance", "/query?project=marketing", "/audit", "/notifications"];
        foreach (var page in pages)
        {
            alice.Go(page);
            if (page == "/audit") alice.Screenshot("audit");
            var problems = ((IReadOnlyCollection<object>)alice.Driver.ExecuteScript(Audit)!).Select(p => p.ToString()).ToList();
            Assert.True(problems.Count == 0, $"{page}: {string.Join("; ", problems)}");
        }
        // The audit fires: an unlabelled field and a table without caption added to a page are reported.
        alice.Go("/search");
        alice.Driver.ExecuteScript("document.body.appendChild(document.createElement('input')); document.body.appendChild(document.createElement('table'));");
        var fired = ((IReadOnlyCollection<object>)alice.Driver.ExecuteScript(Audit)!).Select(p => p.ToString()).ToList();
        Assert.Contains("unlabelled INPUT ", fired);
        Assert.Contains("table without caption ", fired);

        using var anonymous = new Browser(fixture.Portal);
        anonymous.Go("/login");
        anonymous.Screenshot("login");
        Assert.Empty((IReadOnlyCollection<object>)anonymous.Driver.ExecuteScript(Audit)!);
    }

    [Fact]
    public void Sign_in_and_search_with_the_keyboard_alone()
    {
        using var browser = new Browser(fixture.Portal);
        browser.Go("/login");
        // The user field has focus (autofocus); type, tab to the password, type, press Enter.
        new OpenQA.Selenium.Interactions.Actions(browser.Driver).SendKeys("bob").SendKeys(Keys.Tab).SendKeys("bob").Perform();
        browser.Navigate(() => new OpenQA.Selenium.Interactions.Actions(browser.Driver).SendKeys(Keys.Enter).Perform());
        Assert.Equal("bob", browser.SignedInUser);

        // The first Tab stop is the skip link; following it puts the focus on the main content.
        browser.Driver.ExecuteScript("document.activeElement.blur(); window.scrollTo(0, 0);");
        new OpenQA.Selenium.Interactions.Actions(browser.Driver).SendKeys(Keys.Tab).Perform();
        Assert.Equal("Skip to main content", browser.Driver.SwitchTo().ActiveElement().Text);
        new OpenQA.Selenium.Interactions.Actions(browser.Driver).SendKeys(Keys.Enter).Perform();
        Assert.Equal("main", browser.Driver.SwitchTo().ActiveElement().GetAttribute("id"));

        // Search from the keyboard: focus the search field, type, Enter.
        browser.Find("#q").SendKeys("campaign");
        browser.Navigate(() => browser.Find("#q").SendKeys(Keys.Enter));
        Assert.Contains("marketing.campaigns", browser.FindAll("#results .hit").Select(h => h.GetAttribute("data-asset")));
    }
}
