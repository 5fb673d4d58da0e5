using System.Net;
using DataMesh.Gateway.Portal.Data;
using DataMesh.Gateway.Portal.Notifications;
using DataMesh.Gateway.Portal.Queries;
using DataMesh.Gateway.Portal.Security;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Portal;

/// <summary>
/// The data portal inside the gateway process: Kestrel on <c>--web-listen</c>, HTTPS with the gateway's certificate
/// when it has one, Razor Pages rendered on the server (plain HTML forms, no script), signed-in sessions kept on the
/// server. Every page reads the catalog and runs SQL through the same layers as the wire.
/// </summary>
public sealed class PortalHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PortalHost(WebApplication app, IPEndPoint endPoint, bool https)
    {
        _app = app;
        EndPoint = endPoint;
        Https = https;
    }

    public IPEndPoint EndPoint { get; }
    public bool Https { get; }

    /// <summary>The portal's address as a browser should use it.</summary>
    public Uri Url => new($"{(Https ? "https" : "http")}://{(EndPoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : EndPoint.Address)}:{EndPoint.Port}/");

    public PortalSessions Sessions => _app.Services.GetRequiredService<PortalSessions>();

    public static async Task<PortalHost> StartAsync(PortalOptions options, PortalServices services, ILoggerFactory loggers)
    {
        if (options.Certificate is null && !IPAddress.IsLoopback(options.Listen.Address))
            throw new ArgumentException(
                $"the portal would send passwords and session cookies in the clear on {options.Listen}: give the gateway a certificate (--tls or --tls-cert/--tls-key) or listen on a loopback address");
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(PortalHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 1024 * 1024; // forms only: a query text, an approval
            k.Listen(options.Listen, listen =>
            {
                if (options.Certificate is { } certificate) listen.UseHttps(certificate);
            });
        });
        // The gateway owns the process: its signal handling stops the portal (GatewayHost), not ASP.NET's console lifetime.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, GatewayLifetime>();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(services);
        builder.Services.AddSingleton(services.Clock);
        builder.Services.AddSingleton<PortalSessions>();
        builder.Services.AddSingleton<SignInService>();
        builder.Services.AddSingleton<PortalSql>();
        builder.Services.AddSingleton<CatalogSearch>();
        builder.Services.AddSingleton<AssetDetails>();
        builder.Services.AddSingleton<Decisions>();
        builder.Services.AddSingleton<ProjectDetails>();
        builder.Services.AddSingleton<QueryEditor>();
        builder.Services.AddSingleton<INotificationFeed>(new EventNotificationFeed(services.Catalog));
        PortalSecurity.Configure(builder.Services, options);
        builder.Services.AddRazorPages(o => o.Conventions.AuthorizeFolder("/").AllowAnonymousToPage("/Login").AllowAnonymousToPage("/Error"));

        var app = builder.Build();
        app.UseMiddleware<ServerTiming>();
        app.UseMiddleware<SecurityHeaders>();
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        app.UseExceptionHandler("/Error");
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/portal.css", Stylesheet.Serve).AllowAnonymous();
        app.MapRazorPages();
        await app.StartAsync().ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
        return new PortalHost(app, new IPEndPoint(options.Listen.Address, port), options.Certificate is not null);
    }

    private sealed class GatewayLifetime : Microsoft.Extensions.Hosting.IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
