using DataMesh.Gateway.Portal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DataMesh.Gateway.Portal.Pages;

/// <summary>Sign-out (POST only, with the anti-forgery token): the server-side session ends, so the cookie is dead everywhere.</summary>
public sealed class LogoutModel(PortalSessions sessions) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Search");

    public async Task<IActionResult> OnPostAsync()
    {
        if (PortalUser.From(User)?.SessionId is { } sid) sessions.End(sid);
        await HttpContext.SignOutAsync(PortalUser.Scheme);
        return Redirect("/login");
    }
}
