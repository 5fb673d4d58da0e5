using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using DataMesh.Gateway.Catalog;
using DataMesh.Gateway.Catalog.Model;

namespace DataMesh.Gateway.Admin.Webhooks;

/// <summary>
/// Delivers the catalog's events to project webhooks (ALTER PROJECT p SET WEBHOOK): each project's events that concern it
/// (<see cref="EventAudience.ConcernsProject"/>) are POSTed in order, one project's worker at a time, retried with
/// doubling waits, and every outcome is audited (command <c>WEBHOOK DELIVERY</c>, user <c>datamesh</c>). Progress is the
/// project's cursor in the catalog, so a restart resumes where delivery stopped. Nothing here runs on a command's
/// path: a commit only signals, and a slow or dead endpoint delays that project's webhook alone.
/// </summary>
public sealed class WebhookDispatcher : IAsyncDisposable
{
    private readonly CatalogService _catalog;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<string> _warn;
    private readonly WebhookClient _client;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, StrongBox<int>> _states = new(StringComparer.Ordinal); // 0 idle, 1 running, 2 asked again
    private readonly ConcurrentDictionary<string, Task> _workers = new(StringComparer.Ordinal);
    private long _delivered;

    public WebhookDispatcher(CatalogService catalog, WebhookOptions options, TimeProvider time, Action<string> warn)
    {
        _catalog = catalog;
        _options = options;
        _time = time;
        _warn = warn;
        _client = new WebhookClient(options);
        catalog.Changed += Signal;
        _timer = time.CreateTimer(_ => Signal(), null, options.Poll, options.Poll);
        Signal();
    }

    /// <summary>Events delivered (a 2xx answer) so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Asks every project with a webhook to look for new events; returns at once.</summary>
    public void Signal()
    {
        if (_stop.IsCancellationRequested) return;
        foreach (var project in _catalog.Snapshot.Projects.Where(p => p.Webhook is not null).Select(p => p.Name))
        {
            var state = _states.GetOrAdd(project, _ => new StrongBox<int>());
            if (Interlocked.Exchange(ref state.Value, 2) != 0) continue; // its worker runs and will look again
            _workers[project] = Task.Run(() => WorkAsync(project, state));
        }
    }

    private async Task WorkAsync(string project, StrongBox<int> state)
    {
        while (true)
        {
            Volatile.Write(ref state.Value, 1);
            try
            {
                await DrainAsync(project).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _warn($"Webhook of project {project}: the catalog could not be read: {e.Message}");
            }
            if (Interlocked.CompareExchange(ref state.Value, 0, 1) == 1) return;
        }
    }

    private async Task DrainAsync(string project)
    {
        var store = _catalog.Store;
        while (!_stop.IsCancellationRequested)
        {
            if (_catalog.Snapshot.Projects.FirstOrDefault(p => p.Name == project)?.Webhook is not { } url) return;
            var (cursors, last) = store.Read(r => (r.WebhookCursors(), r.LastEventId));
            if (!cursors.TryGetValue(project, out var cursor))
            {
                // A new webhook hears what happens from now on, as LISTEN does.
                store.AdvanceWebhookCursor(project, last);
                return;
            }
            cursor = SkipOverBacklog(project, cursor);
            var events = store.Read(r => r.Events(new EventQuery(100) { AfterId = cursor, Projects = [project] }));
            if (events.Count == 0) return;
            foreach (var e in events)
            {
                if (EventAudience.ConcernsProject(project, e)) await DeliverAsync(project, url, e).ConfigureAwait(false);
                store.AdvanceWebhookCursor(project, e.Id);
                var now = _catalog.Snapshot.Projects.FirstOrDefault(p => p.Name == project)?.Webhook;
                if (now != url) break; // unset or moved: the next round reads it again
            }
        }
    }

    /// <summary>Keeps at most MaxBacklog undelivered events: older ones are skipped, and the skip is audited.</summary>
    private long SkipOverBacklog(string project, long cursor)
    {
        var newest = _catalog.Store.Read(r => r.Events(new EventQuery(_options.MaxBacklog) { Projects = [project] }));
        if (newest.Count < _options.MaxBacklog || newest[^1].Id - 1 <= cursor) return cursor;
        var kept = newest[^1].Id - 1;
        Audit(project, $"skip events {cursor + 1}..{kept}", "error", "54000",
            $"more than {_options.MaxBacklog} events waited for the webhook; events {cursor + 1} to {kept} are skipped", null);
        _catalog.Store.AdvanceWebhookCursor(project, kept);
        return kept;
    }

    private async Task DeliverAsync(string project, string url, EventRecord e)
    {
        var target = new Uri(url).GetLeftPart(UriPartial.Authority) + "/…";   // the path may hold a secret token
        var statement = $"POST {target} event {e.Id} ({e.Kind})";
        string? failure = null;
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            try
            {
                var status = await _client.PostAsync(url, e, _stop.Token).ConfigureAwait(false);
                if ((int)status is >= 200 and < 300)
                {
                    Interlocked.Increment(ref _delivered);
                    Audit(project, statement, "ok", null, $"delivered: HTTP {(int)status} (attempt {attempt})", e);
                    return;
                }
                failure = $"HTTP {(int)status}";
            }
            catch (WebhookTargetRefusedException refused)
            {
                // Fail closed and do not retry: the address will not become acceptable by waiting.
                Audit(project, statement, "error", "42501", "refused: " + refused.Message, e);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !_stop.IsCancellationRequested)
            {
                failure = ex is TaskCanceledException ? $"no answer within {_options.Timeout.TotalSeconds:0.#} s" : ex.Message;
            }
            if (attempt < _options.MaxAttempts)
                await Task.Delay(_options.RetryBase * Math.Pow(2, attempt - 1), _time, _stop.Token).ConfigureAwait(false);
        }
        _warn($"Webhook of project {project}: event {e.Id} not delivered after {_options.MaxAttempts} attempts: {failure}");
        Audit(project, statement, "error", "58030", $"not delivered after {_options.MaxAttempts} attempts: {failure}", e);
    }

    private void Audit(string project, string statement, string outcome, string? sqlState, string message, EventRecord? e) =>
        _catalog.Store.AppendAudit(new AuditRecord(0, _time.GetUtcNow(), "datamesh", null, null, project, "admin", "WEBHOOK DELIVERY",
            statement, outcome, sqlState, message, e?.Asset is { } a ? [a] : [], e?.SubscriptionId is { } s ? [s] : [], null, null, null));

    public async ValueTask DisposeAsync()
    {
        _catalog.Changed -= Signal;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _timer.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_workers.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // workers stop at their next await
        }
        _client.Dispose();
        _stop.Dispose();
    }
}
