using System.Net;
using DataMesh.Gateway.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>
/// Sign-in with a gateway user's password (checked against the SCRAM verifier) or, over HTTPS, with an identity
/// provider's token (the wire's validator and trusted issuers). Either way the browser's previous session, if any,
/// is ended and a new session id is issued, so a session id planted before sign-in never becomes a signed-in one.
/// </summary>
public sealed class LoginModel(SignInService signIn, PortalSessions sessions, PortalOptions options, PortalServices services) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Failure { get; private set; }

    public string? UserName { get; private set; }

    /// <summary>Token sign-in is offered over HTTPS only, when the gateway trusts an identity provider (as on the wire).</summary>
    public bool TokensOffered => options.Https && services.Tokens is not null;

    /// <summary>Whoever this browser is signed in as now: signing in again replaces that session (switching users).</summary>
    public string? SignedInAs => PortalUser.From(User)?.Name;

    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostPasswordAsync(string? user, string? password)
    {
        UserName = user;
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
        {
            Failure = "Enter your user name and password.";
            return Page();
        }
        var (signedIn, error) = await signIn.PasswordAsync(user, password, Remote, HttpContext.RequestAborted);
        return signedIn is null ? Fail(error!) : await SignInAsync(signedIn);
    }

    public async Task<IActionResult> OnPostTokenAsync(string? token)
    {
        if (!TokensOffered) return Fail("Identity tokens are accepted only over HTTPS, from an identity provider this gateway trusts.");
        if (string.IsNullOrWhiteSpace(token)) return Fail("Paste your identity token.");
        var (signedIn, error) = await signIn.TokenAsync(token.Trim(), Remote, HttpContext.RequestAborted);
        return signedIn is null ? Fail(error!) : await SignInAsync(signedIn);
    }

    private async Task<IActionResult> SignInAsync(PortalUser user)
    {
        // Whatever session this browser had ends here; the sign-in gets a session of its own.
        if (PortalUser.From(User)?.SessionId is { } previous) sessions.End(previous);
        var signedIn = user with { SessionId = sessions.Start(user.Name) };
        await HttpContext.SignInAsync(PortalUser.Scheme, signedIn.ToPrincipal(), new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
        return LocalRedirect(Target);
    }

    private IActionResult Fail(string message)
    {
        Failure = message;
        Response.StatusCode = 401;
        return Page();
    }

    private string Target => ReturnUrl is { Length: > 0 } r && Url.IsLocalUrl(r) && !r.StartsWith("/login", StringComparison.OrdinalIgnoreCase) ? r : "/search";

    private IPAddress Remote => HttpContext.Connection.RemoteIpAddress ?? IPAddress.None;
}
