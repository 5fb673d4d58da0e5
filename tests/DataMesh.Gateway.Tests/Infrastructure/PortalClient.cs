using System.Net;
using System.Text.RegularExpressions;

namespace DataMesh.Gateway.Tests.Infrastructure;

/// <summary>
/// A plain HTTP client of the portal with its own cookie jar, for what a browser will not do on purpose: replay an
/// old cookie, post without (or with someone else's) anti-forgery token, read raw status codes and headers.
/// </summary>
public sealed partial class PortalClient : IDisposable
{
    private readonly HttpClient _http;

    public PortalClient(Uri portal)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler
        {
            CookieContainer = Cookies,
            AllowAutoRedirect = false,
            // The demo's self-signed certificate.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(120) };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        _http.PostAsync(path, new FormUrlEncodedContent(fields));

    /// <summary>Posts a form the way its page would: with the anti-forgery token of <paramref name="page"/>.</summary>
    public async Task<HttpResponseMessage> PostFromPageAsync(string page, string path, params (string, string)[] fields)
    {
        var token = await TokenAsync(page);
        return await PostAsync(path, fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));
    }

    public async Task<string> TokenAsync(string page)
    {
        var html = await (await GetAsync(page)).Content.ReadAsStringAsync();
        return Token(html);
    }

    public static string Token(string html) => TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new InvalidOperationException("the page has no anti-forgery token");

    public async Task<HttpResponseMessage> SignInAsync(string user, string? password = null) =>
        await PostFromPageAsync("/login", "/login?handler=Password", ("user", user), ("password", password ?? user));

    public string? Cookie(string name) => Cookies.GetAllCookies().FirstOrDefault(c => c.Name == name)?.Value;

    public void SetCookie(Uri portal, string name, string value) => Cookies.Add(portal, new Cookie(name, value, "/") { Secure = portal.Scheme == "https", HttpOnly = true });

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
