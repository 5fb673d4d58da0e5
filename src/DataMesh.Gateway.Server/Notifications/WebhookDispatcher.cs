using System.Net.Http.Headers;
using System.Text;
using DataMesh.Gateway.Admin;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;
using Microsoft.Extensions.Logging;

namespace DataMesh.Gateway.Server.Notifications;

/// <summary>
/// POSTs each event that concerns a project to the project's webhook (ALTER PROJECT p SET WEBHOOK), one JSON object per
/// event, in order, from a background loop: a command never waits for it. A failed delivery (no answer within
/// <see cref="Timeout"/>, or a status other than 2xx) is retried with exponential backoff (1 s doubling to 5 minutes,
/// with jitter) and never skipped; what was delivered is remembered in the catalog, so a restart resumes where it stopped.
/// </summary>
public sealed class WebhookDispatcher : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromMinutes(5);

    private readonly CatalogService _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly Dictionary<string, (int Failures, DateTimeOffset NextAttempt)> _backoff = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Task _loop;

    public WebhookDispatcher(CatalogService catalog, TimeProvider time, TimeSpan poll, ILogger logger, HttpMessageHandler? handler = null)
    {
        _catalog = catalog;
        _time = time;
        _logger = logger;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("datamesh-gateway", "1"));
        catalog.Changed += Signal;
        _loop = Task.Run(() => LoopAsync(poll));
    }

    /// <summary>Deliveries that succeeded, and attempts that failed (tests, metrics).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failures => Interlocked.Read(ref _failures);

    private long _delivered, _failures;

    public void Signal()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    private async Task LoopAsync(TimeSpan poll)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await DeliverAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogWarning("Webhook delivery stopped for now: {Error}", e.Message);
            }
            try
            {
                await _wake.WaitAsync(poll, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync()
    {
        var cursors = _catalog.Store.Read(r => r.WebhookCursors());
        foreach (var project in _catalog.Snapshot.Projects.Where(p => p.Webhook is not null && cursors.ContainsKey(p.Name)))
        {
            if (_backoff.TryGetValue(project.Name, out var b) && b.NextAttempt > _time.GetUtcNow()) continue;
            var events = _catalog.Store.Read(r => r.Events(new EventQuery(100) { AfterId = cursors[project.Name], Projects = [project.Name] }));
            foreach (var e in events)
            {
                if (EventAudience.ConcernsProject(project.Name, e) && !await PostAsync(project, e).ConfigureAwait(false)) break;
                _catalog.Store.AdvanceWebhookCursor(project.Name, e.Id);
            }
        }
    }

    private async Task<bool> PostAsync(ProjectRecord project, EventRecord e)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, project.Webhook);
            request.Content = new StringContent(EventAudience.Payload(e), Encoding.UTF8, "application/json");
            request.Headers.Add("X-DataMesh-Event", e.Kind);
            request.Headers.Add("X-DataMesh-Delivery", e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-DataMesh-Project", project.Name);
            using var response = await _http.SendAsync(request, _stop.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return Failed(project, e, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            if (_stop.IsCancellationRequested) return false;
            return Failed(project, e, ex.Message);
        }
        _backoff.Remove(project.Name);
        Interlocked.Increment(ref _delivered);
        return true;
    }

    private bool Failed(ProjectRecord project, EventRecord e, string why)
    {
        Interlocked.Increment(ref _failures);
        var failures = _backoff.TryGetValue(project.Name, out var b) ? b.Failures + 1 : 1;
        var delay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(failures - 1, 20)));
        delay += TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, delay.TotalMilliseconds / 4)));
        _backoff[project.Name] = (failures, _time.GetUtcNow() + delay);
        _logger.LogWarning("Webhook of project {Project} failed for event {Event} ({Why}); attempt {Attempt}, next in {Delay}",
            project.Name, e.Id, why, failures, delay);
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        _catalog.Changed -= Signal;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _http.Dispose();
        _stop.Dispose();
    }
}
