using System.Collections.ObjectModel;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>
/// A real browser for the portal tests: Debian's chromium, headless, driven through Debian's chromedriver by Selenium.
/// Nothing is downloaded (both paths are given; Selenium Manager is told to stay offline). Each browser has a fresh
/// profile directory, so cookies never leak between tests. tests/clients/install.sh installs both packages.
/// </summary>
public sealed class Browser : IDisposable
{
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "datamesh-tests", "chromium-" + Guid.NewGuid().ToString("N"));

    public Browser(Uri portal)
    {
        Portal = portal;
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        var chromium = OnPath("chromium") ?? OnPath("chromium-browser")
            ?? throw new InvalidOperationException("chromium is not installed: run tests/clients/install.sh (Debian packages chromium and chromium-driver)");
        var driver = OnPath("chromedriver") ?? throw new InvalidOperationException("chromedriver is not installed: run tests/clients/install.sh");
        var options = new ChromeOptions { BinaryLocation = chromium, AcceptInsecureCertificates = true };
        options.AddArguments("--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,1000", $"--user-data-dir={_profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(120);
    }

    public ChromeDriver Driver { get; }
    public Uri Portal { get; }

    public void Go(string path) => Navigate(() => Driver.Navigate().GoToUrl(new Uri(Portal, path)));

    public string Url => Driver.Url;

    public void SignIn(string user, string? password = null)
    {
        Go("/login");
        Type("#user", user);
        Type("#password", password ?? user);
        Click("#sign-in");
    }

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public ReadOnlyCollection<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    public bool Exists(string css) => FindAll(css).Count > 0;

    public string Text(string css) => Find(css).Text;

    public void Type(string css, string text)
    {
        var element = Find(css);
        element.Clear();
        element.SendKeys(text);
    }

    /// <summary>Clicks something that loads a new page (a link, a submit button) and waits until the new page replaced the old.</summary>
    public void Click(string css) => Navigate(() => Find(css).Click());

    /// <summary>Runs an action that loads a new page and waits until the old page's document is gone and the new one loaded.</summary>
    public void Navigate(Action action)
    {
        var old = FindAll("html").FirstOrDefault();
        action();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (old is not null)
        {
            try
            {
                _ = old.Enabled;
            }
            catch (WebDriverException e) when (e is StaleElementReferenceException || e.Message.Contains("does not belong to the document", StringComparison.Ordinal))
            {
                break; // the old document is gone
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the page did not change within 120 s");
            Thread.Sleep(25);
        }
        while (Driver.ExecuteScript("return document.readyState;") as string != "complete")
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the page did not finish loading within 120 s");
            Thread.Sleep(25);
        }
    }

    /// <summary>The signed-in user the page header names, or null on a page without one (the sign-in page).</summary>
    public string? SignedInUser => FindAll("#signed-in-user") is [var e, ..] ? e.Text : null;

    public string? Cookie(string name) => Driver.Manage().Cookies.GetCookieNamed(name)?.Value;

    /// <summary>Saves a screenshot to $DATAMESH_PORTAL_SCREENSHOTS/NAME.png when that variable names a directory (docs/portal).</summary>
    public void Screenshot(string name)
    {
        if (Environment.GetEnvironmentVariable("DATAMESH_PORTAL_SCREENSHOTS") is not { Length: > 0 } directory) return;
        Directory.CreateDirectory(directory);
        var height = Convert.ToInt32(Driver.ExecuteScript("return Math.min(document.documentElement.scrollHeight, 2400);"));
        Driver.Manage().Window.Size = new System.Drawing.Size(1280, Math.Max(700, height));
        Driver.GetScreenshot().SaveAsFile(Path.Combine(directory, name + ".png"));
        Driver.Manage().Window.Size = new System.Drawing.Size(1280, 1000);
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Select(d => Path.Combine(d, command)).FirstOrDefault(File.Exists);
}
