using System.Net;
using System.Text;
using DataMesh.Gateway.Server;
using DataMesh.Gateway.Server.Observability;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Observability;

/// <summary>
/// A small HTTP endpoint on its own port (setting MetricsListen, e.g. 127.0.0.1:9187; off when empty):
/// <c>GET /metrics</c> answers the Prometheus text format, <c>GET /health</c> answers 200 "ready" while the gateway
/// accepts connections and its catalog answers, 503 while it starts, shuts down or cannot reach its catalog
/// (<see cref="HealthReport"/>, which also says how the node follows the catalog). It serves nothing else and reads no request body.
/// </summary>
public sealed class MetricsEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly GatewayServer _server;
    private readonly ILogger _logger;
    private readonly Task _loop;

    private MetricsEndpoint(GatewayServer server, IPEndPoint endPoint, ILogger logger)
    {
        _server = server;
        _logger = logger;
        EndPoint = endPoint;
        _listener.Prefixes.Add($"http://{endPoint}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public IPEndPoint EndPoint { get; }

    public static MetricsEndpoint? Start(string? listen, GatewayServer server, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(listen)) return null;
        var endPoint = IPEndPoint.Parse(listen);
        if (endPoint.Port == 0) endPoint = new IPEndPoint(endPoint.Address, FreePort(endPoint.Address));
        var endpoint = new MetricsEndpoint(server, endPoint, logger);
        logger.LogInformation("Metrics and health on http://{EndPoint}/ (/metrics, /health)", endPoint);
        return endpoint;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                _logger.LogDebug("Metrics request ended early: {Reason}", e.GetType().Name);
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        using var response = context.Response;
        var (status, body, type) = context.Request.HttpMethod != "GET" ? (405, "method not allowed\n", "text/plain")
            : context.Request.Url?.AbsolutePath switch
            {
                "/metrics" => (200, _server.RenderMetrics(), "text/plain; version=0.0.4"),
                "/health" => Health(),
                _ => (404, "not found\n", "text/plain"),
            };
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = type;
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    private (int Status, string Body, string Type) Health()
    {
        var (healthy, text) = HealthReport.Of(_server);
        return (healthy ? 200 : 503, text, "text/plain");
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new System.Net.Sockets.TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(false);
    }
}
