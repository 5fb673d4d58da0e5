using Microsoft.AspNetCore.Http;

namespace DataMesh.Gateway.Portal.Security;

/// <summary>
/// Headers on every response: no script may run and nothing may load from elsewhere (the pages use none), forms post
/// only to the portal, no site may frame it (clickjacking), no caching of pages that hold catalog data, no referrer
/// leaves it, and over HTTPS browsers are told to keep to HTTPS.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Policy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (context.Request.Path != "/portal.css") headers.CacheControl = "no-store";
        if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
        return next(context);
    }
}

/// <summary>
/// Measures each request's server time and reports it in a <c>Server-Timing</c> header (<c>app;dur=ms</c>), which
/// browsers show in their developer tools and the portal bench reads: from the request's arrival to the response's
/// headers (for a download, the time to its first byte).
/// </summary>
internal sealed class ServerTiming(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var ms = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] = "app;dur=" + ms.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        return next(context);
    }
}
