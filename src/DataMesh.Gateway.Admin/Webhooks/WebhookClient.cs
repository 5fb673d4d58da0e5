using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Admin.Webhooks;

/// <summary>A webhook target refused by <see cref="WebhookTargets"/>: never retried.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);

/// <summary>
/// POSTs one event to a webhook: the JSON payload LISTEN sends (<see cref="EventAudience.Payload"/>), with
/// <c>X-DataMesh-Event</c> (the kind) and <c>X-DataMesh-Delivery</c> (the event id, for de-duplication: a delivery whose
/// answer was lost is sent again). Success is any 2xx status. No proxy (it would connect on the gateway's behalf to
/// anything), no redirects (a 3xx is a failure: a redirect could point inside the network), and the connection goes
/// only to addresses <see cref="WebhookTargets"/> allowed.
/// </summary>
public sealed class WebhookClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly WebhookOptions _options;

    public WebhookClient(WebhookOptions options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = options.Timeout };
    }

    /// <summary>One attempt; the status code on an answer, or an exception (a refused target: <see cref="WebhookTargetRefusedException"/>).</summary>
    public async Task<HttpStatusCode> PostAsync(string url, EventRecord e, CancellationToken cancel)
    {
        var uri = new Uri(url);
        if (uri.Scheme != Uri.UriSchemeHttps && !(_options.AllowHttp && uri.Scheme == Uri.UriSchemeHttp))
            throw new WebhookTargetRefusedException($"a webhook must use https, not {uri.Scheme}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(EventAudience.Payload(e), new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }),
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("DataMesh-Gateway-Webhook", "1"));
        request.Headers.Add("X-DataMesh-Event", e.Kind);
        request.Headers.Add("X-DataMesh-Delivery", e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            return response.StatusCode;
        }
        catch (HttpRequestException ex) when (ex.InnerException is WebhookTargetRefusedException refused)
        {
            throw refused;
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancel).ConfigureAwait(false);
        if (addresses.Length == 0) throw new WebhookTargetRefusedException($"{host} does not resolve");
        foreach (var address in addresses)
        {
            if (WebhookTargets.Refusal(address, _options.AllowPrivateTargets) is { } why)
                throw new WebhookTargetRefusedException($"{host}: {why}");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Exactly the addresses checked above: no second lookup that could answer differently.
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancel).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}
