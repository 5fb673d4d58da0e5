namespace DataMesh.Gateway.Catalog.Following;

/// <summary>How a node learns of other nodes' catalog changes.</summary>
public enum FollowMode
{
    /// <summary>Reads the catalog version every interval (a SQLite catalog, or a shared one whose channel is down).</summary>
    Polling,

    /// <summary>Woken by the catalog's change announcements (LISTEN), with a heartbeat on the channel every interval.</summary>
    Listening,
}

/// <summary>
/// Keeps a <see cref="CatalogService"/>'s snapshot following the change log written by other processes. With a change
/// feed (a PostgreSQL catalog) it listens: every announcement applies the changes since the node's position at once
/// (<see cref="CatalogService.CatchUp"/>: a patch, never a full reload). When the channel drops it falls back to
/// polling the catalog version every interval, says so (<see cref="Mode"/>, /health, the metrics, a warning), and tries
/// to listen again every <see cref="ListenRetry"/> (<see cref="DefaultListenRetry"/> unless configured); on success it catches up with what it may have missed meanwhile.
/// It also keeps the node's view of the catalog's reachability: every successful read or heartbeat is a contact, every
/// failed one makes the catalog unreachable until the next contact (<see cref="SinceContact"/> bounds how stale the
/// snapshot that still governs open sessions is).
/// </summary>
public sealed class CatalogFollower : IAsyncDisposable
{
    /// <summary>While polling after the channel dropped, how often listening is tried again, unless configured.</summary>
    public static readonly TimeSpan DefaultListenRetry = TimeSpan.FromSeconds(5);

    private readonly CatalogService _catalog;
    private readonly ICatalogChangeFeed? _feed;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Action<string> _warn;
    private readonly Action<string> _inform;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _mode = (int)FollowMode.Polling;
    private int _unreachable;
    private int _listenFailing;
    private long _lastContact;
    private long _fallbacks;
    private long _announcements;
    private string? _lastError;

    /// <param name="feed">The catalog's change announcements; null: poll only (SQLite, or LISTEN turned off).</param>
    /// <param name="shared">The catalog is shared (PostgreSQL): it can be unreachable while this node runs.</param>
    /// <param name="warn">Mode changes for the worse and failures (logged as warnings).</param>
    /// <param name="inform">Mode changes for the better.</param>
    /// <param name="listenRetry">While polling after the channel dropped, how often listening is tried again
    /// (<see cref="DefaultListenRetry"/> when null).</param>
    public CatalogFollower(CatalogService catalog, ICatalogChangeFeed? feed, bool shared, TimeSpan interval, TimeProvider time, Action<string> warn, Action<string> inform,
        TimeSpan? listenRetry = null)
    {
        ListenRetry = listenRetry ?? DefaultListenRetry;
        _catalog = catalog;
        _feed = feed;
        Shared = shared || feed is not null;
        _interval = interval;
        _time = time;
        _warn = warn;
        _inform = inform;
        _lastContact = time.GetUtcNow().UtcTicks; // the snapshot was just loaded
        _loop = Task.Run(RunAsync);
    }

    public FollowMode Mode => (FollowMode)Volatile.Read(ref _mode);

    /// <summary>While polling after the channel dropped, how often listening is tried again.</summary>
    public TimeSpan ListenRetry { get; }

    /// <summary>True when the catalog announces its changes to this node (a feed was given).</summary>
    public bool Listens => _feed is not null;

    /// <summary>True for a catalog other nodes share (PostgreSQL): only such a catalog is ever "unreachable".</summary>
    public bool Shared { get; }

    /// <summary>What the feed listens on, or null.</summary>
    public string? Channel => _feed?.Description;

    /// <summary>False from a failed read or heartbeat until the next successful one.</summary>
    public bool Reachable => Volatile.Read(ref _unreachable) == 0;

    /// <summary>The last time the catalog answered.</summary>
    public DateTimeOffset LastContact => new(Interlocked.Read(ref _lastContact), TimeSpan.Zero);

    /// <summary>How long ago the catalog last answered: the snapshot's possible staleness while it is unreachable.</summary>
    public TimeSpan SinceContact => _time.GetUtcNow() - LastContact;

    /// <summary>Times the channel dropped and the follower fell back to polling.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    /// <summary>Change announcements received.</summary>
    public long Announcements => Interlocked.Read(ref _announcements);

    /// <summary>Why the catalog was last unreachable, or the channel last dropped (no secrets: the driver's message).</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    private async Task RunAsync()
    {
        var stop = _stopping.Token;
        var listenAt = _time.GetUtcNow();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (_feed is not null && Mode == FollowMode.Polling && _time.GetUtcNow() >= listenAt)
                {
                    if (await TryListenAsync(stop).ConfigureAwait(false)) continue;
                    listenAt = _time.GetUtcNow() + ListenRetry;
                }
                if (Mode == FollowMode.Listening)
                {
                    if (!await WaitForAnnouncementAsync(stop).ConfigureAwait(false)) listenAt = _time.GetUtcNow() + ListenRetry;
                    continue;
                }
                await Task.Delay(_interval, _time, stop).ConfigureAwait(false);
                CatchUp();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TryListenAsync(CancellationToken stop)
    {
        try
        {
            await _feed!.OpenAsync(stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            // Not a verdict on reachability: the poll that follows judges that (LISTEN may fail where reads work, such
            // as behind a proxy), so a node whose channel cannot open does not flap between reachable and not.
            Volatile.Write(ref _lastError, e.Message);
            if (Interlocked.Exchange(ref _listenFailing, 1) == 0)
                _warn($"Cannot listen for the catalog's changes ({e.Message}): polling every {_interval.TotalSeconds:0.###} s, trying again every {ListenRetry.TotalSeconds:0} s");
            return false;
        }
        Interlocked.Exchange(ref _listenFailing, 0);
        Contact();
        Volatile.Write(ref _mode, (int)FollowMode.Listening);
        _inform($"Following the catalog's changes by {_feed.Description}");
        CatchUp(); // what committed while the node was not listening
        return true;
    }

    /// <summary>One wait on the channel; false when it dropped (the follower polls from now on).</summary>
    private async Task<bool> WaitForAnnouncementAsync(CancellationToken stop)
    {
        long? announced;
        try
        {
            announced = await _feed!.WaitAsync(_interval, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            Volatile.Write(ref _mode, (int)FollowMode.Polling);
            Interlocked.Increment(ref _fallbacks);
            Volatile.Write(ref _lastError, e.Message);
            _warn($"The catalog's change channel dropped ({e.Message}): polling the catalog every {_interval.TotalSeconds:0.###} s, listening again when it can");
            CatchUp();
            return false;
        }
        Contact();
        if (announced is { } position)
        {
            Interlocked.Increment(ref _announcements);
            if (position > _catalog.Position) CatchUp();
        }
        return true;
    }

    private void CatchUp()
    {
        try
        {
            _catalog.CatchUp();
            Contact();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(e, "reading its change log");
        }
    }

    private void Contact()
    {
        Interlocked.Exchange(ref _lastContact, _time.GetUtcNow().UtcTicks);
        if (Interlocked.Exchange(ref _unreachable, 0) == 1) _inform("The catalog is reachable again");
    }

    private void Failed(Exception e, string? doing)
    {
        Volatile.Write(ref _lastError, e.Message);
        // Only a shared catalog is "unreachable": a SQLite file that is busy or failing is the store's own fault handling.
        if (!Shared)
        {
            _warn($"Following the catalog's change log failed: {e.Message}");
            return;
        }
        if (Interlocked.Exchange(ref _unreachable, 1) == 0)
            _warn($"The catalog is unreachable{(doing is null ? "" : " " + doing)} ({e.Message}): new sessions are refused, open ones are governed by the last snapshot");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        if (_feed is not null) await _feed.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
