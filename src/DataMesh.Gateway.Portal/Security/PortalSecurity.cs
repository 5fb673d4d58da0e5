using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DataMesh.Gateway.Portal.Security;

/// <summary>
/// Cookies and forms: the session cookie and the anti-forgery cookie are HTTP-only, SameSite=Strict, Secure and
/// <c>__Host-</c>-prefixed over HTTPS (no subdomain can set or read them); every POST needs the form's anti-forgery
/// token (Razor Pages validate it before a handler runs: 400 otherwise). Sessions are kept server-side
/// (<see cref="PortalSessionStore"/>) and checked on every request (<see cref="SignInService.StillValid"/>).
/// </summary>
internal static class PortalSecurity
{
    public static void Configure(IServiceCollection services, PortalOptions options)
    {
        var secure = options.Https ? CookieSecurePolicy.Always : CookieSecurePolicy.None;
        var prefix = options.Https ? "__Host-" : "";
        // Keys in memory only: sessions live in memory too (a restart signs everyone out), so nothing is worth keeping,
        // and no key ring lands in a home directory.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddAuthorization();
        services.AddAuthentication(PortalUser.Scheme).AddCookie(PortalUser.Scheme, o =>
        {
            o.Cookie.Name = prefix + "datamesh-session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.Cookie.Path = "/";
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/Error";
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = options.IdleTimeout;
            o.SlidingExpiration = true;
        });
        services.AddOptions<CookieAuthenticationOptions>(PortalUser.Scheme).Configure<PortalSessionStore, SignInService, TimeProvider>((o, store, signIn, clock) =>
        {
            o.SessionStore = store;
            o.Events.OnValidatePrincipal = async context =>
            {
                if (PortalUser.From(context.Principal!) is { } user && signIn.StillValid(user, clock.GetUtcNow())) return;
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(PortalUser.Scheme).ConfigureAwait(false);
            };
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = prefix + "datamesh-csrf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.Cookie.Path = "/";
            o.SuppressXFrameOptionsHeader = true; // SecurityHeaders sends DENY on every response
        });
    }
}
