using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DataMesh.Gateway.Tests.Lifecycle;

/// <summary>
/// A real HTTP endpoint on loopback (System.Net.HttpListener) that records every request it gets. Each request is
/// answered by <see cref="Answer"/> (status code; default 204), after <see cref="Hold"/> completes when it is set.
/// </summary>
internal sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public sealed record Request(string Method, string Path, string Body, string? ContentType, string? Event, string? Delivery);

    public WebhookListener(string host = "127.0.0.1")
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        _listener.Prefixes.Add($"http://{(host == "127.0.0.1" ? host : "+")}:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Url(string host = "127.0.0.1") => $"http://{host}:{Port}/hook/marketing?token=s3cret";
    public ConcurrentQueue<Request> Requests { get; } = new();
    public Func<int, int> Answer { get; set; } = _ => 204;
    public Task? Hold { get; set; }
    public TaskCompletionSource FirstArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue(new Request(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, body, context.Request.ContentType,
                context.Request.Headers["X-DataMesh-Event"], context.Request.Headers["X-DataMesh-Delivery"]));
            FirstArrived.TrySetResult();
            if (Hold is { } hold) await hold;
            context.Response.StatusCode = Answer(Requests.Count);
            context.Response.Close();
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests arrived (or fails after a minute).</summary>
    public async Task WaitForAsync(int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (Requests.Count < count) await Task.Delay(20, cts.Token);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}
