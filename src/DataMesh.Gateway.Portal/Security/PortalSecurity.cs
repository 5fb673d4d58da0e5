using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DataMesh.Gateway.Portal.Security;

/// <summary>
/// Cookies and forms: the session cookie and the anti-forgery cookie are HTTP-only, SameSite=Strict, Secure and
/// <c>__Host-</c>-prefixed over HTTPS (no subdomain can set or read them); every POST needs the form's anti-forgery
/// token (Razor Pages validate it before a handler runs: 400 otherwise). Every request's session must be live on the
/// server (<see cref="PortalSessions"/>) and its user still valid (<see cref="SignInService.StillValid"/>).
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
        services.AddOptions<CookieAuthenticationOptions>(PortalUser.Scheme).Configure<PortalSessions, SignInService, TimeProvider>((o, sessions, signIn, clock) =>
        {
            o.Events.OnValidatePrincipal = async context =>
            {
                if (PortalUser.From(context.Principal!) is { SessionId: { } sid } user && sessions.Touch(sid, user.Name) && signIn.StillValid(user, clock.GetUtcNow()))
                    return;
                if (PortalUser.From(context.Principal!)?.SessionId is { } stale) sessions.End(stale);
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
        // The one-shot confirmations after a POST (TempData) ride in a cookie of the same kind.
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = prefix + "datamesh-flash";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = secure;
            o.Cookie.Path = "/";
            o.Cookie.IsEssential = true;
        });
    }
}
